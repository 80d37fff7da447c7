package io.bulwark.waf.internal;

import java.util.List;

/** Text transformations applied in priority order (lowest first), as one chain. */
public record TextChain(List<Transformation> steps) {
  public static final TextChain NONE = new TextChain(List.of());

  public TextChain {
    steps = steps.stream().filter(t -> t != Transformation.NONE).toList();
  }

  public static TextChain of(Transformation... steps) {
    return new TextChain(List.of(steps));
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  public String apply(String s) {
    String v = s;
    for (Transformation t : steps) {
      v = t.transform(v);
    }
    return v;
  }

  /** AWS: each text transformation adds 10 WCUs. */
  public int wcu() {
    return 10 * steps.size();
  }
}
