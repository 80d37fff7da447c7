package io.bulwark.edge.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request collapsing: concurrent misses for one cache key make one origin request. The first miss
 * leads a {@link Fill}; later ones wait on it and, when it ends, look in the cache again. If the
 * leader's response was not stored (uncacheable, too large, failed), each waiter then goes to the
 * origin on its own, as Varnish's hit-for-pass does, rather than queueing behind one another.
 */
final class Collapser {
  private final ConcurrentHashMap<Object, Fill> inflight = new ConcurrentHashMap<>();

  /** One in-flight fill and the requests waiting for it. */
  static final class Fill {
    final Object key;
    private final List<Runnable> waiters = new ArrayList<>(2);
    private boolean done;

    /**
     * Set by the leader before it completes when the origin failed and it served the stale object
     * (stale-if-error): its waiters serve it too instead of each asking the failing origin again.
     */
    volatile boolean staleServed;

    Fill(Object key) {
      this.key = key;
    }

    /** Registers a waiter; false when the fill already ended (look in the cache again). */
    synchronized boolean addWaiter(Runnable r) {
      if (done) {
        return false;
      }
      waiters.add(r);
      return true;
    }
  }

  /** A new fill led by the caller, or null when another request already leads one. */
  Fill lead(Object key) {
    Fill f = new Fill(key);
    return inflight.putIfAbsent(key, f) == null ? f : null;
  }

  /** The fill in flight for {@code key}, or null. */
  Fill current(Object key) {
    return inflight.get(key);
  }

  /** Ends a fill (stored or not) and wakes its waiters. Idempotent. */
  void complete(Fill f) {
    inflight.remove(f.key, f);
    List<Runnable> toRun;
    synchronized (f) {
      if (f.done) {
        return;
      }
      f.done = true;
      toRun = new ArrayList<>(f.waiters);
      f.waiters.clear();
    }
    for (Runnable r : toRun) {
      r.run();
    }
  }

  int inflightCount() {
    return inflight.size();
  }
}
