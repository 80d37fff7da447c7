package io.bulwark.health;

import io.bulwark.health.internal.HealthRules;
import io.bulwark.health.internal.HealthRules.CheckerState;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one graph of named checks that the DNS plane and the edge both read.
 *
 * <p>Reads are lock-free: each check's effective state is a volatile boolean, so {@link
 * #isHealthy(String)} costs a hash lookup and a volatile read and is safe on any event loop. Writes
 * (probe results, a few per check per interval) take one lock, apply the pure rules in {@link
 * HealthRules}, re-evaluate the calculated checks that depend on the changed one, append to the
 * bounded transition history and deliver {@link HealthEvent}s in order.
 *
 * <p>Checkers are identified by name. This node's probers register as {@code local-1..N}; a checker
 * on another node reports with its own id through {@link #report} and from then on counts in the
 * quorum like a local one (the cluster layer is expected to call {@link #forgetChecker} when a node
 * leaves).
 *
 * <p>A new check starts healthy, as Route 53 treats a check it has no data for yet; a dead target
 * therefore takes failure threshold × interval to be detected after start.
 */
public final class HealthGraph {
  private static final System.Logger LOG = System.getLogger(HealthGraph.class.getName());

  /** Transitions kept per check for the admin API. */
  public static final int HISTORY_LIMIT = 32;

  private final InstantSource clock;
  private final Map<String, Node> nodes;
  private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();

  private HealthGraph(InstantSource clock, Map<String, Node> nodes) {
    this.clock = clock;
    this.nodes = nodes;
  }

  /**
   * Builds the graph. Calculated checks may name any checks, calculated ones too, but not form a
   * cycle; every child must exist.
   *
   * @throws IllegalArgumentException on a duplicate id, an unknown child or a cycle
   */
  public static HealthGraph of(List<CheckSpec> specs, InstantSource clock) {
    return of(specs, clock, null);
  }

  /**
   * Builds the graph for a reloaded config, carrying over the checker states, last results and
   * history of every check whose spec did not change, so a reload in the middle of an incident
   * neither forgets a detected failure nor restarts the failure count. Listeners are not carried
   * over.
   */
  public static HealthGraph of(List<CheckSpec> specs, InstantSource clock, HealthGraph previous) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (CheckSpec spec : specs) {
      if (nodes.put(spec.id(), new Node(spec)) != null) {
        throw new IllegalArgumentException("duplicate health check id " + spec.id());
      }
    }
    for (Node node : nodes.values()) {
      for (String child : node.spec.children()) {
        Node c = nodes.get(child);
        if (c == null) {
          throw new IllegalArgumentException(
              "calculated check " + node.spec.id() + " names unknown child " + child);
        }
        node.children.add(c);
        c.parents.add(node);
      }
    }
    if (previous != null) {
      synchronized (previous.lock) {
        for (Node node : nodes.values()) {
          Node old = previous.nodes.get(node.spec.id());
          if (old != null && old.spec.equals(node.spec)) {
            old.checkers.forEach(
                (id, slot) -> {
                  Slot copy = new Slot();
                  copy.state = slot.state;
                  copy.last = slot.last;
                  copy.probes = slot.probes;
                  node.checkers.put(id, copy);
                });
            node.history.addAll(old.history);
          }
        }
      }
    }
    HealthGraph graph =
        new HealthGraph(Objects.requireNonNull(clock), Collections.unmodifiableMap(nodes));
    Map<Node, Integer> mark = new HashMap<>();
    for (Node node : nodes.values()) {
      graph.initialize(node, mark);
    }
    return graph;
  }

  private void initialize(Node node, Map<Node, Integer> mark) {
    Integer m = mark.get(node);
    if (m != null) {
      if (m == 1) {
        throw new IllegalArgumentException(
            "calculated checks form a cycle through " + node.spec.id());
      }
      return;
    }
    mark.put(node, 1);
    for (Node c : node.children) {
      initialize(c, mark);
    }
    node.healthy = evaluate(node);
    mark.put(node, 2);
  }

  /**
   * The effective state of a check: lock-free, cheap, safe on event loops.
   *
   * @throws IllegalArgumentException for an id that is not in the graph (config validation makes
   *     this a programming error)
   */
  public boolean isHealthy(String checkId) {
    Node node = nodes.get(checkId);
    if (node == null) {
      throw new IllegalArgumentException("no health check named " + checkId);
    }
    return node.healthy;
  }

  public boolean contains(String checkId) {
    return nodes.containsKey(checkId);
  }

  /** Check ids in config order. */
  public Set<String> checkIds() {
    return nodes.keySet();
  }

  public CheckSpec spec(String checkId) {
    Node node = nodes.get(checkId);
    return node == null ? null : node.spec;
  }

  public void addListener(HealthListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  public void removeListener(HealthListener listener) {
    listeners.remove(listener);
  }

  /** Registers a checker so it counts in the quorum before its first result. Idempotent. */
  public void registerChecker(String checkId, String checkerId) {
    synchronized (lock) {
      leaf(checkId).checkers.computeIfAbsent(checkerId, k -> new Slot());
    }
  }

  /** Removes a checker (e.g. a node that left the cluster) and re-evaluates the check. */
  public void forgetChecker(String checkId, String checkerId) {
    List<HealthEvent> events = new ArrayList<>();
    synchronized (lock) {
      Node node = leaf(checkId);
      if (node.checkers.remove(checkerId) != null) {
        reevaluate(node, "checker " + checkerId + " removed", events);
      }
      deliver(events);
    }
  }

  /**
   * Records one checker's probe result: the entry point for local probers and for checkers on other
   * nodes. Unknown checkers are registered on first report. Results for a disabled check are
   * recorded but change nothing.
   */
  public void report(String checkId, String checkerId, ProbeResult result) {
    List<HealthEvent> events = new ArrayList<>();
    synchronized (lock) {
      Node node = leaf(checkId);
      Slot slot = node.checkers.computeIfAbsent(checkerId, k -> new Slot());
      slot.state = HealthRules.next(slot.state, result.healthy(), node.spec.failureThreshold());
      slot.last = result;
      slot.probes++;
      slot.inFlight = false;
      reevaluate(node, result.reason(), events);
      deliver(events);
    }
  }

  void probeStarted(String checkId, String checkerId) {
    synchronized (lock) {
      leaf(checkId).checkers.computeIfAbsent(checkerId, k -> new Slot()).inFlight = true;
    }
  }

  /** A consistent snapshot of every check, in config order, for the admin API. */
  public List<CheckStatus> status() {
    synchronized (lock) {
      List<CheckStatus> out = new ArrayList<>(nodes.size());
      for (Node n : nodes.values()) {
        List<CheckerStatus> checkers = new ArrayList<>();
        n.checkers.forEach(
            (id, s) ->
                checkers.add(
                    new CheckerStatus(
                        id, s.state.healthy(), s.state.streak(), s.probes, s.inFlight, s.last)));
        out.add(
            new CheckStatus(
                n.spec.id(),
                n.spec.type(),
                n.healthy,
                n.spec.disabled(),
                n.spec.inverted(),
                List.copyOf(checkers),
                n.spec.children(),
                List.copyOf(n.history)));
      }
      return List.copyOf(out);
    }
  }

  /** The status of one check, or null for an unknown id. */
  public CheckStatus status(String checkId) {
    for (CheckStatus s : status()) {
      if (s.id().equals(checkId)) {
        return s;
      }
    }
    return null;
  }

  private Node leaf(String checkId) {
    Node node = nodes.get(checkId);
    if (node == null) {
      throw new IllegalArgumentException("no health check named " + checkId);
    }
    if (node.spec.type() == CheckType.CALCULATED) {
      throw new IllegalArgumentException(
          "check " + checkId + " is calculated and takes no probe results");
    }
    return node;
  }

  private boolean evaluate(Node node) {
    CheckSpec spec = node.spec;
    boolean measured;
    if (spec.type() == CheckType.CALCULATED) {
      int healthy = 0;
      for (Node c : node.children) {
        if (c.healthy) {
          healthy++;
        }
      }
      measured = HealthRules.calculated(healthy, spec.healthThreshold());
    } else {
      int healthy = 0;
      for (Slot s : node.checkers.values()) {
        if (s.state.healthy()) {
          healthy++;
        }
      }
      measured = HealthRules.quorum(healthy, node.checkers.size(), spec.healthyShare());
    }
    return HealthRules.effective(measured, spec.disabled(), spec.inverted());
  }

  private String explain(Node node, String cause) {
    CheckSpec spec = node.spec;
    String text;
    if (spec.disabled()) {
      text = "disabled";
    } else if (spec.type() == CheckType.CALCULATED) {
      long healthy = node.children.stream().filter(c -> c.healthy).count();
      text =
          healthy
              + " of "
              + node.children.size()
              + " children healthy (threshold "
              + spec.healthThreshold()
              + ")";
    } else {
      long healthy = node.checkers.values().stream().filter(s -> s.state.healthy()).count();
      text = healthy + " of " + node.checkers.size() + " checkers healthy (last: " + cause + ")";
    }
    return spec.inverted() ? "inverted: " + text : text;
  }

  private void reevaluate(Node node, String cause, List<HealthEvent> events) {
    boolean now = evaluate(node);
    if (now == node.healthy) {
      return;
    }
    node.healthy = now;
    String reason = explain(node, cause);
    var at = clock.instant();
    node.history.addLast(new Transition(at, now, reason));
    while (node.history.size() > HISTORY_LIMIT) {
      node.history.removeFirst();
    }
    events.add(new HealthEvent(node.spec.id(), now, at, reason));
    for (Node parent : node.parents) {
      reevaluate(parent, node.spec.id() + (now ? " healthy" : " unhealthy"), events);
    }
  }

  private void deliver(List<HealthEvent> events) {
    for (HealthEvent e : events) {
      LOG.log(
          Level.INFO,
          "health check {0} is now {1}: {2}",
          e.checkId(),
          e.healthy() ? "healthy" : "unhealthy",
          e.reason());
      for (HealthListener l : listeners) {
        try {
          l.onChange(e);
        } catch (RuntimeException ex) {
          LOG.log(Level.WARNING, "health listener failed on " + e, ex);
        }
      }
    }
  }

  private static final class Node {
    final CheckSpec spec;
    final List<Node> children = new ArrayList<>();
    final List<Node> parents = new ArrayList<>();
    final LinkedHashMap<String, Slot> checkers = new LinkedHashMap<>();
    final ArrayDeque<Transition> history = new ArrayDeque<>();
    volatile boolean healthy;

    Node(CheckSpec spec) {
      this.spec = spec;
    }
  }

  private static final class Slot {
    CheckerState state = CheckerState.INITIAL;
    ProbeResult last;
    long probes;
    boolean inFlight;
  }
}
