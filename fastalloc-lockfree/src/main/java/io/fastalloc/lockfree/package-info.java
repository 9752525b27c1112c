/**
 * Lock-free pools whose free objects live in JCTools queues.
 *
 * <p>Each kind is an interface with static factories; what {@code create} returns is a final class of
 * a package this module does not export. {@link io.fastalloc.lockfree.MpmcPool},
 * {@link io.fastalloc.lockfree.SpscPool}, {@link io.fastalloc.lockfree.MpscPool} and
 * {@link io.fastalloc.lockfree.SpmcPool} are one engine in four thread roles (which threads may
 * allocate, which may close); {@link io.fastalloc.lockfree.CachingPool} puts per-thread magazines in
 * front of a shared queue.
 *
 * <p>The four queue kinds guarantee, beyond {@link io.fastalloc.Pool}:
 * <ol>
 *   <li>{@code capacity()} is fixed: the config's {@code capacity}.</li>
 *   <li>{@code tryAllocate()} returns {@code null} only if no object was free at one instant during
 *       the call, with two exceptions: on {@code SpmcPool} an object that another thread's failed
 *       allocation is giving back to the side queue in that moment may be missed; and while
 *       {@code close()} runs, an allocation that took an object and then saw the pool closed puts it
 *       back, and another allocation may miss it in that moment. Allocation and closing a handle
 *       are linearizable; closing the pool is not linearizable with them (that exception).</li>
 *   <li>{@code allocate(timeout, unit)} throws at once on an interrupt already pending; between
 *       attempts it waits with the config's {@link io.fastalloc.WaitStrategy}, checks the deadline,
 *       the interrupt flag and the closed flag on every round, and allocates nothing while it
 *       waits.</li>
 *   <li>{@code allocateBatch} takes the objects one by one and, when fewer than {@code count} can
 *       be had, puts back the ones it took: other threads may see them missing for that moment.</li>
 *   <li>{@code available()} is the queue's size: true at some instant during the call, an estimate
 *       while other threads work; {@code inUse()} is {@code capacity() - available()}.</li>
 *   <li>{@code close()} may be called from any thread and is idempotent.</li>
 *   <li>On a kind with a single allocating thread ({@code SpscPool}, {@code MpscPool}) only that
 *       thread may call the allocate methods; on a kind with a single releasing thread
 *       ({@code SpscPool}, {@code SpmcPool}) only that thread may close handles. Checked mode
 *       enforces both, naming the two threads.</li>
 *   <li>A second close of a handle after the first throws {@link IllegalStateException}. Of two
 *       closes of one handle racing on two threads other than the one that allocated it, exactly
 *       one wins. Unchecked, without reset function, validator or per-operation recorder, a close
 *       on the allocating thread, and every close of a single-releaser kind, is a check and a
 *       store, no atomic instruction (as {@code ThreadLocalPool}'s owner close): such a close
 *       racing with another close of the same handle is misuse that unchecked mode cannot tell
 *       from closing a stale handle, and both may succeed; checked mode catches it.</li>
 * </ol>
 */
package io.fastalloc.lockfree;
