package io.bulwark.config.internal;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" for misspelt keys and ids: the closest candidate by edit distance (Levenshtein
 * with adjacent transpositions counted as one edit, so "tagret" finds "target"), when it is close
 * enough to be a plausible typo rather than a different word.
 */
public final class Suggest {
  private Suggest() {}

  /**
   * The closest candidate (case-insensitively), or null when none is within a third of the word's
   * length (at least 2 edits; 1 for words of up to 3 characters).
   */
  public static String closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = word.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int d = distance(lower, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = word.length() <= 3 ? 1 : Math.max(2, word.length() / 3);
    return best != null && bestDistance <= allowed ? best : null;
  }

  /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a span). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
