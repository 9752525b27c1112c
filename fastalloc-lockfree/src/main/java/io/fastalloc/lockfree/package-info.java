/**
 * Lock-free pools whose free objects live in JCTools queues.
 */
package io.fastalloc.lockfree;
