/**
 * The engines of the core pool kinds and the slot machinery every kind shares. Not API: the module
 * exports this package only to fastalloc's own modules.
 *
 * <p><b>Slots.</b> A {@link io.fastalloc.internal.Slot} is one place in a pool: its object, its
 * index, the pool it belongs to ({@link io.fastalloc.internal.SlotHome}) and a state that is a
 * generation counter, even while the slot is free and odd while it is held. Every allocation and
 * every release adds one (an unchecked single-threaded pool stores
 * {@link io.fastalloc.internal.Slot#HELD} on allocation instead); a checked
 * {@link io.fastalloc.internal.Lease} remembers the odd value it was handed out with, so any later
 * use can tell that the slot moved on.
 *
 * <p><b>Access modes.</b> A slot's fields are private; pools reach them through accessors whose
 * names say the memory mode, in the vocabulary of JCTools:
 * <ul>
 *   <li>{@code lp}/{@code sp}: plain load and store (single-threaded pools, pools that hold a lock,
 *       and the thread that owns a slot it took from a free set that published it);</li>
 *   <li>{@code lr}/{@code sr}: relaxed (opaque) load and store: atomic and never hoisted out of a
 *       loop, with no ordering of other accesses (the lock-free pools' allocation, statistics
 *       readers);</li>
 *   <li>{@code la}: acquire load (a checked lease's validity check);</li>
 *   <li>{@code lv}: volatile load (messages after a failed claim);</li>
 *   <li>{@code cas}: volatile compare-and-set (a release that may race with another close of the
 *       same handle: exactly one wins).</li>
 * </ul>
 * The object and the list link have plain accessors only: they are published by whatever hands the
 * slot from one thread to another (a lock, a queue's release store, a CAS).
 */
package io.fastalloc.internal;
