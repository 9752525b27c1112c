/**
 * Pool statistics on Agrona counters.
 */
package io.fastalloc.stats;
