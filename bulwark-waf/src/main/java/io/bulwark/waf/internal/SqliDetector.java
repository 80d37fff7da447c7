package io.bulwark.waf.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SQL-injection detection by tokenizing, in the manner of libinjection (written here from its
 * published idea, not its code or fingerprint data).
 *
 * <h2>Why tokens and not keywords</h2>
 *
 * A value is dangerous when, pasted into a query at the place the application puts it, it changes
 * the query's structure. Prose that mentions "select", "union", "drop" or "or 1" is a stream of
 * barewords and keywords; an injection is a stream with a shape: a string closed early followed by
 * a logic operator and a comparison ({@code ' OR '1'='1}), a UNION followed by a SELECT, a
 * statement after a semicolon, a delay function after a logic operator. So the detector:
 *
 * <ol>
 *   <li>Tokenizes the value three times, as if the application put it bare (a number or
 *       identifier), inside single quotes, and inside double quotes. In a quote context the text up
 *       to the first matching quote is one string token: that is the application's string being
 *       closed by the attacker.
 *   <li>Folds the tokens: comments vanish ({@code UNION/**}{@code /SELECT}), MySQL executable
 *       comments ({@code /*!50000UNION*}{@code /}) are read as code, unary signs disappear,
 *       adjacent strings join, multi-word keywords ({@code UNION ALL}, {@code ORDER BY}) become one
 *       token.
 *   <li>Writes the folded stream as a fingerprint, one character per token type, and tests it
 *       against injection shapes: some must start the value (where the injection begins), a few
 *       high-signal ones may appear anywhere.
 * </ol>
 *
 * Token types: {@code s} string, {@code 1} number (and NULL, TRUE, FALSE), {@code n} bareword,
 * {@code v} variable ({@code @x}, {@code @@version}), {@code k} keyword, {@code E} statement
 * keyword (SELECT, DROP, ...), {@code U} UNION/INTERSECT, {@code &} logic (AND, OR, XOR, &&, ||),
 * {@code o} operator, {@code f} a SQL function followed by '(', {@code ( ) , ;} themselves, {@code
 * c} a trailing comment.
 *
 * <p>Form-encoded input ({@code a=1&b=2}) is also tested value by value, the way libinjection is
 * applied per argument. Everything is linear in the input; at most {@link #MAX_TOKENS} tokens are
 * read per context.
 */
public final class SqliDetector {
  static final int MAX_TOKENS = 4096;
  private static final int MAX_CANDIDATES = 64;

  private SqliDetector() {}

  private static final Set<String> LOGIC = Set.of("and", "or", "xor");
  private static final Set<String> OPERATOR_WORDS =
      Set.of("like", "rlike", "regexp", "is", "in", "between", "sounds");
  private static final Set<String> ARITHMETIC_WORDS = Set.of("div", "mod", "not");
  private static final Set<String> STATEMENTS =
      Set.of(
          "select",
          "insert",
          "update",
          "delete",
          "drop",
          "create",
          "alter",
          "truncate",
          "exec",
          "execute",
          "declare",
          "shutdown",
          "grant",
          "revoke",
          "waitfor",
          "merge",
          "handler",
          "rename");
  private static final Set<String> UNIONS = Set.of("union", "intersect");
  private static final Set<String> LITERALS = Set.of("null", "true", "false");
  private static final Set<String> KEYWORDS =
      Set.of(
          "from",
          "where",
          "table",
          "into",
          "values",
          "set",
          "as",
          "order",
          "group",
          "by",
          "having",
          "limit",
          "offset",
          "join",
          "on",
          "case",
          "when",
          "then",
          "else",
          "end",
          "exists",
          "all",
          "distinct",
          "top",
          "procedure",
          "delay",
          "outfile",
          "dumpfile",
          "collate",
          "escape",
          "asc",
          "desc",
          "database",
          "schema",
          "column",
          "if",
          "begin",
          "cross",
          "inner",
          "outer",
          "natural",
          "using",
          "load_file",
          "information_schema",
          "sysobjects",
          "syscolumns",
          "master",
          "xp_cmdshell",
          "char",
          "nchar",
          "varchar");

  /** Functions an injection calls to delay, read files or leak data through errors. */
  private static final Set<String> DANGEROUS_FUNCTIONS =
      Set.of(
          "sleep",
          "benchmark",
          "pg_sleep",
          "load_file",
          "extractvalue",
          "updatexml",
          "xp_cmdshell",
          "dbms_pipe.receive_message",
          "utl_inaddr.get_host_address",
          "utl_http.request",
          "dbms_lock.sleep",
          "randomblob",
          "name_const",
          "exp",
          "geometrycollection",
          "polygon",
          "multipoint",
          "linestring",
          "json_keys",
          "gtid_subset",
          "pg_read_file",
          "lo_import",
          "dblink",
          "openrowset",
          "opendatasource",
          "sp_executesql",
          "sp_oacreate",
          "sys_eval",
          "sys_exec",
          "copy");

  private static final Set<String> FUNCTIONS =
      Set.of(
          "char",
          "chr",
          "concat",
          "concat_ws",
          "substring",
          "substr",
          "mid",
          "ascii",
          "ord",
          "hex",
          "unhex",
          "version",
          "database",
          "user",
          "current_user",
          "system_user",
          "session_user",
          "count",
          "if",
          "ifnull",
          "isnull",
          "coalesce",
          "cast",
          "convert",
          "length",
          "len",
          "group_concat",
          "md5",
          "sha1",
          "rand",
          "floor",
          "now",
          "sysdate",
          "row",
          "json_extract",
          "sqlite_version",
          "db_name",
          "schema",
          "left",
          "right",
          "lower",
          "upper",
          "reverse",
          "replace",
          "elt",
          "make_set",
          "bin",
          "oct",
          "conv",
          "cot",
          "abs",
          "char_length",
          "string_agg",
          "array_agg",
          "xmltype",
          "to_char",
          "nvl",
          "decode",
          "instr",
          "locate",
          "position",
          "strcmp",
          "least",
          "greatest",
          "iif",
          "waitfor",
          "current_database",
          "pg_typeof",
          "typeof",
          "unicode",
          "nchar",
          "sum",
          "max",
          "min",
          "avg",
          "object_id",
          "db_id",
          "suser_name",
          "host_name",
          "quotename",
          "stuff");

  /** Token types as single characters; see the class comment. */
  private record Token(char type, String text) {}

  /** True when {@code value} (a byte string) reads as a SQL injection at this sensitivity. */
  public static boolean isInjection(String value, Statement.Sensitivity sensitivity) {
    return isInjection(value, sensitivity, true);
  }

  /** With {@code gate} false, the full test runs even on values {@link #hasLowTrigger} clears. */
  static boolean isInjection(String value, Statement.Sensitivity sensitivity, boolean gate) {
    if (value.isEmpty()) {
      return false;
    }
    boolean high = sensitivity == Statement.Sensitivity.HIGH;
    if (gate && !high && !hasLowTrigger(value)) {
      return false;
    }
    for (String candidate : candidates(value)) {
      if (test(candidate, high)) {
        return true;
      }
    }
    return false;
  }

  /** The fingerprint of a value in a quote context ('\0' bare, '\'' or '"'), for tests. */
  static String fingerprint(String value, char context) {
    return fingerprintOf(fold(tokenize(Text.asciiLower(value), context)));
  }

  private static List<String> candidates(String value) {
    List<String> out = new ArrayList<>(4);
    out.add(value);
    if (value.indexOf('=') < 0 || value.indexOf('&') < 0 && !isFormPair(value, 0, value.length())) {
      return out;
    }
    // Form-encoded input (name=value&name=value, names without spaces): test each value. A piece
    // after '&' that is not itself name=value belongs to the previous value (the payload held an
    // '&', as in ' && '1'='1).
    int start = 0;
    int n = value.length();
    while (start < n && out.size() < MAX_CANDIDATES) {
      int end = value.indexOf('&', start);
      if (end < 0) {
        end = n;
      }
      if (!isFormPair(value, start, end)) {
        start = end + 1;
        continue;
      }
      int valueStart = value.indexOf('=', start) + 1;
      while (end < n) {
        int next = value.indexOf('&', end + 1);
        if (next < 0) {
          next = n;
        }
        if (isFormPair(value, end + 1, next)) {
          break;
        }
        end = next;
      }
      if (end > valueStart) {
        out.add(value.substring(valueStart, end));
      }
      start = end + 1;
    }
    return out;
  }

  private static boolean isFormPair(String s, int from, int to) {
    int e = s.indexOf('=', from);
    return e > from && e < to && isParamName(s, from, e);
  }

  private static boolean isParamName(String s, int from, int to) {
    if (to - from > 64) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(Text.isWordChar(c) || c == '.' || c == '-' || c == '[' || c == ']')) {
        return false;
      }
    }
    return true;
  }

  /** Bytes without which no LOW shape can form (besides statement keywords, checked too). */
  private static final String STRUCTURAL = "'\"`;()=<>|&#/*-!@+%^~,:";

  private static boolean test(String value, boolean high) {
    String lower = Text.asciiLower(value);
    if (!high && plain(lower)) {
      return false;
    }
    for (char ctx : new char[] {'\0', '\'', '"'}) {
      if (ctx != '\0' && lower.indexOf(ctx) < 0) {
        continue; // the value cannot close a string it is not in
      }
      List<Token> tokens = fold(tokenize(lower, ctx));
      String fp = fingerprintOf(tokens);
      if (matchesStart(fp, ctx, high) || matchesAnywhere(fp, tokens, high)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every LOW shape (and every keyword sequence) needs a token of type {@code & E U f c k ;}. Those
   * come only from a word in {@link #LOW_TRIGGER_WORDS} (functions only before a '('), {@code &&
   * ||}, a comment ({@code -- # /*}) or ';'. A keyword token is a maximal run of word bytes, so it
   * is also a maximal run of {@code [a-z0-9_]} once the value is lower-cased (the tokenizer's word
   * bytes include that class); the test below splits the value that way and only ever says yes more
   * often than the tokenizer would. Candidates are substrings of the value cut at '&' and '=', so
   * one look at the whole value covers them all. Linear, no allocation.
   */
  static boolean hasLowTrigger(String value) {
    int n = value.length();
    boolean paren = value.indexOf('(') >= 0;
    int run = -1;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? Text.lower(value.charAt(i)) : ' ';
      if (Text.isWordChar(c)) {
        if (run < 0) {
          run = i;
        }
        continue;
      }
      if (run >= 0) {
        int hit = LOW_TRIGGER_WORDS.find(value, run, i);
        if (hit == WordTable.WORD || hit == WordTable.FUNCTION && paren) {
          return true;
        }
        run = -1;
      }
      if (i == n) {
        break;
      }
      char d = i + 1 < n ? value.charAt(i + 1) : 0;
      if (c == ';'
          || c == '#'
          || c == '-' && d == '-'
          || c == '/' && d == '*'
          || c == '&' && d == '&'
          || c == '|' && d == '|') {
        return true;
      }
    }
    return false;
  }

  private static final WordTable LOW_TRIGGER_WORDS = lowTriggerWords();

  private static WordTable lowTriggerWords() {
    WordTable t = new WordTable();
    for (Set<String> words : List.of(LOGIC, UNIONS, STATEMENTS, KEYWORDS)) {
      words.forEach(w -> t.add(w, WordTable.WORD));
    }
    for (Set<String> words : List.of(FUNCTIONS, DANGEROUS_FUNCTIONS)) {
      for (String w : words) {
        for (String part : w.split("\\.")) {
          t.add(part, WordTable.FUNCTION);
        }
      }
    }
    return t;
  }

  /**
   * Lower-case ASCII words looked up by a region of a string, case-insensitively, without
   * allocating. A word added as both kinds is a WORD.
   */
  static final class WordTable {
    static final int NONE = 0;
    static final int WORD = 1;
    static final int FUNCTION = 2;
    private final String[] keys = new String[1024];
    private final int[] kinds = new int[1024];

    void add(String w, int kind) {
      int h = hash(w, 0, w.length()) & 1023;
      while (keys[h] != null && !keys[h].equals(w)) {
        h = (h + 1) & 1023;
      }
      if (keys[h] == null || kind == WORD) {
        kinds[h] = kind;
      }
      keys[h] = w;
    }

    int find(String s, int from, int to) {
      int len = to - from;
      if (len < 2 || len > 32) {
        return NONE;
      }
      int h = hash(s, from, to) & 1023;
      while (keys[h] != null) {
        String k = keys[h];
        if (k.length() == len && k.regionMatches(true, 0, s, from, len)) {
          return kinds[h];
        }
        h = (h + 1) & 1023;
      }
      return NONE;
    }

    private static int hash(String s, int from, int to) {
      int h = 0;
      for (int i = from; i < to; i++) {
        h = 31 * h + Text.lower(s.charAt(i));
      }
      return h ^ (h >>> 16);
    }
  }

  /**
   * True when the value has no structural byte and no statement keyword: then its tokens are only
   * words, numbers and dots, and no LOW shape can match. Saves the tokenizer for most values.
   */
  private static boolean plain(String lower) {
    for (int i = 0; i < lower.length(); i++) {
      if (STRUCTURAL.indexOf(lower.charAt(i)) >= 0) {
        return false;
      }
    }
    for (String k : STATEMENTS) {
      if (lower.contains(k)) {
        return false;
      }
    }
    if (lower.contains("union") || lower.contains("intersect")) {
      return false;
    }
    // Words that still make a shape without punctuation: comparison words (1 or a like b) and the
    // clause keywords of 1 order by 5 and into outfile.
    int i = 0;
    int n = lower.length();
    while (i < n) {
      while (i < n && !Text.isWordChar(lower.charAt(i))) {
        i++;
      }
      int j = i;
      while (j < n && Text.isWordChar(lower.charAt(j))) {
        j++;
      }
      if (j > i && PLAIN_BREAKERS.contains(lower.substring(i, j))) {
        return false;
      }
      i = j;
    }
    return true;
  }

  private static final Set<String> PLAIN_BREAKERS =
      Set.of(
          "like",
          "rlike",
          "regexp",
          "between",
          "sounds",
          "in",
          "is",
          "order",
          "group",
          "having",
          "limit",
          "offset",
          "outfile",
          "dumpfile",
          "procedure");

  private static String fingerprintOf(List<Token> tokens) {
    StringBuilder sb = new StringBuilder(tokens.size());
    for (Token t : tokens) {
      sb.append(t.type());
    }
    return sb.toString();
  }

  // ---- shapes ----------------------------------------------------------------------------

  /**
   * Shapes that must begin the value: where the application's own value ends and the attacker's SQL
   * begins. {@code X} stands for any operand: string, number, bareword or variable.
   */
  private static final String[] START_LOW = {
    // tautologies and comparisons after a logic operator: 1 OR 1=1, ' OR 'a'='a, ') OR ('x'='x
    "^[s1n]\\)*&\\(*[s1nv]\\)*o\\(*[s1nvf(]",
    // a closed string then a logic operator then a literal and a comment: ' OR 1--
    "^s\\)*&[1s]\\)*c",
    "^s\\)*&\\(*[1v]$",
    // a closed string then only a comment: admin'--
    "^sc$",
    "^s\\)+c$",
    // a logic operator then a function or a subquery: 1 AND SLEEP(5), ' OR (SELECT ...
    "^[s1n]\\)*&\\(*f\\(",
    "^[s1n]\\)*[&oa]\\(+E",
    // a closed string then an operator and a function or subquery: '+sleep(5)+'
    "^s\\)*[oa]\\(*f\\(",
    // ' HAVING 1=1, ' ORDER BY 3--, ' GROUP BY x--
    "^s\\)*k[1n](c|$|o|,|k)",
    // ' OR EXISTS(SELECT ...), 1 AND NOT EXISTS (SELECT ...
    "^[s1n]\\)*&[ak]?\\(+E",
    "^1\\)*k1(c|$)",
    // a whole subquery or statement with SQL after it
    "^\\(+E(a|1|v|f|nk|n,)",
    "^E(ak|f\\(|v|1,|1k|1c)",
    "^E[1n]k[1n](k|o|c|;)",
    "^Enkno",
    "^Ekn(o|k|\\(|;|c|,)",
    // a dangerous function as the whole value: sleep(5), benchmark(...)
    "^\\(*f\\([1sv]",
    // a number or closed string and a trailing statement: 1;DROP ..., ');SHUTDOWN--
    "^[s1]\\)*;(E|c)",
  };

  private static final String[] START_HIGH = {
    "^[s1n]\\)*&\\(*[1sv]\\)*(c|$)",
    "^s\\)*&n(c|$)",
    "^Ekn",
    "^E[1n]kn",
    "^s\\)*k",
    "^1\\)*[oa]\\(*[1s]\\)*(c|$)",
    "^s\\)*o[1s](c|$)",
  };

  private static final java.util.regex.Pattern START_LOW_RE = union(START_LOW);
  private static final java.util.regex.Pattern START_HIGH_RE = union(START_HIGH);

  /** Shapes that are injections wherever they appear. */
  private static final java.util.regex.Pattern ANYWHERE_RE =
      union(
          new String[] {
            // UNION [ALL] SELECT followed by SQL, not by a sentence
            "U\\(*E(1|s|v|f|a|\\(|n,|nk|nc|n$|n\\)|1,)",
            // a statement after a semicolon: ; DROP TABLE x, ; EXEC xp_cmdshell 'dir'
            ";E(k|a|1|s|v|f|\\(|c|ns|nc|nk|n;)",
            // a dangerous function called right after a logic operator, operator or comma
            "[&oa,(;]\\(*f\\(",
            // a closed string, a logic operator and a comparison anywhere: x' OR 'a'='a
            "s\\)*&\\(*[s1]o[s1]",
            // 1 AND 1=1 in the middle of a value followed by a comment
            "1&1o1c",
          });

  /**
   * Shapes are matched with java.util.regex, not RE2: they are our own fixed patterns with no
   * nested or overlapping quantifiers (so backtracking is bounded by a small constant per
   * position), they run over fingerprints of at most {@link #MAX_TOKENS} characters, and the JDK
   * engine is several times faster than RE2/J on such short inputs. User patterns always use RE2.
   */
  private static java.util.regex.Pattern union(String[] shapes) {
    return java.util.regex.Pattern.compile("(?:" + String.join(")|(?:", shapes) + ")");
  }

  private static boolean matchesStart(String fp, char ctx, boolean high) {
    // In the bare context a leading string is the application's own quoted text only when the
    // value itself opened it; shapes starting with 's' apply to the quote contexts.
    if (ctx == '\0' && fp.startsWith("s")) {
      return false;
    }
    // Start shapes need only the first tokens.
    String head = fp.length() > 16 ? fp.substring(0, 16) : fp;
    if (START_LOW_RE.matcher(head).lookingAt()) {
      return true;
    }
    return high && START_HIGH_RE.matcher(head).lookingAt();
  }

  private static boolean matchesAnywhere(String fp, List<Token> tokens, boolean high) {
    if (ANYWHERE_RE.matcher(fp).find()) {
      // ; E in the bare context must not be prose ("...; select one"): the shape requires SQL.
      return true;
    }
    // Keyword sequences that only SQL has.
    for (int i = 0; i + 1 < tokens.size(); i++) {
      String a = tokens.get(i).text();
      String b = tokens.get(i + 1).text();
      if (a.equals("waitfor") && (b.equals("delay") || b.equals("time"))) {
        return true;
      }
      if (a.equals("into") && (b.equals("outfile") || b.equals("dumpfile"))) {
        return true;
      }
      if (a.equals("exec") || a.equals("execute")) {
        if (b.startsWith("xp_") || b.startsWith("sp_") || b.startsWith("master.")) {
          return true;
        }
      }
      if (high && tokens.get(i).type() == '&' && b.equals("exists")) {
        return true;
      }
    }
    return false;
  }

  // ---- tokenizer --------------------------------------------------------------------------

  private static List<Token> tokenize(String s, char ctx) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    if (ctx != '\0') {
      int end = findClose(s, 0, ctx);
      out.add(new Token('s', s.substring(0, Math.min(end, n))));
      i = end < n ? end + 1 : n;
    }
    while (i < n && out.size() < MAX_TOKENS) {
      char c = s.charAt(i);
      if (Transformation.isSpace(c) || c < 0x20 && c != 0) {
        i++;
        continue;
      }
      if (c == '\'' || c == '"') {
        int end = findClose(s, i + 1, c);
        out.add(new Token('s', s.substring(i + 1, Math.min(end, n))));
        i = end < n ? end + 1 : n;
        continue;
      }
      if (c == '`') {
        int end = s.indexOf('`', i + 1);
        end = end < 0 ? n : end;
        out.add(new Token('n', s.substring(i + 1, end)));
        i = Math.min(n, end + 1);
        continue;
      }
      if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        if (i + 2 < n && s.charAt(i + 2) == '!') {
          // MySQL executable comment: the text inside is code.
          i += 3;
          while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
          }
          continue;
        }
        int end = s.indexOf("*/", i + 2);
        out.add(new Token('c', ""));
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (c == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
        i += 2; // the end of an executable comment
        continue;
      }
      if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
        out.add(new Token('c', ""));
        int nl = s.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
        continue;
      }
      if (c == '#') {
        out.add(new Token('c', ""));
        int nl = s.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
        continue;
      }
      if (c == '(' || c == ')' || c == ',' || c == ';') {
        out.add(new Token(c, String.valueOf(c)));
        i++;
        continue;
      }
      if (c == '@') {
        int j = i + 1;
        while (j < n && s.charAt(j) == '@') {
          j++;
        }
        int k = j;
        while (k < n
            && (Text.isWordChar(s.charAt(k)) || s.charAt(k) == '.' || s.charAt(k) == '$')) {
          k++;
        }
        out.add(new Token('v', s.substring(i, k)));
        i = k;
        continue;
      }
      if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
        int j = i + 1;
        if (c == '0' && j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'b')) {
          j++;
          while (j < n && Text.hex(s.charAt(j)) >= 0) {
            j++;
          }
        } else {
          while (j < n && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
            j++;
          }
          if (j < n && s.charAt(j) == 'e') {
            int k = j + 1;
            if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
              k++;
            }
            if (k < n && Character.isDigit(s.charAt(k))) {
              j = k;
              while (j < n && Character.isDigit(s.charAt(j))) {
                j++;
              }
            }
          }
        }
        // 1abc is a bareword in most dialects' eyes (and in prose: 2nd, 3rd, 10am)
        if (j < n && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_')) {
          int k = j;
          while (k < n && isWordByte(s.charAt(k))) {
            k++;
          }
          out.add(new Token('n', s.substring(i, k)));
          i = k;
          continue;
        }
        out.add(new Token('1', s.substring(i, j)));
        i = j;
        continue;
      }
      if (isWordStart(c)) {
        int j = i + 1;
        while (j < n
            && (isWordByte(s.charAt(j))
                || s.charAt(j) == '.' && j + 1 < n && isWordStart(s.charAt(j + 1)))) {
          j++;
        }
        String w = s.substring(i, j);
        out.add(new Token(wordType(w, s, j), w));
        i = j;
        continue;
      }
      if (c == '&' && i + 1 < n && s.charAt(i + 1) == '&'
          || c == '|' && i + 1 < n && s.charAt(i + 1) == '|') {
        out.add(new Token('&', s.substring(i, i + 2)));
        i += 2;
        continue;
      }
      if ("=<>!".indexOf(c) >= 0) {
        int j = i + 1;
        while (j < n && j - i < 3 && "=<>".indexOf(s.charAt(j)) >= 0) {
          j++;
        }
        String op = s.substring(i, j);
        out.add(new Token(op.equals("!") ? 'a' : 'o', op));
        i = j;
        continue;
      }
      if ("+-*/%^|&~:".indexOf(c) >= 0) {
        int j = i + 1;
        if (c == ':' && j < n && s.charAt(j) == '=') {
          j++;
        }
        out.add(new Token('a', s.substring(i, j)));
        i = j;
        continue;
      }
      // Any other byte (punctuation of prose, braces, non-ASCII) separates words but is no
      // part of SQL's structure: a '?' or '.' is noise.
      out.add(new Token('x', String.valueOf(c)));
      i++;
    }
    return out;
  }

  private static int findClose(String s, int from, char q) {
    int i = from;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < n) {
        i += 2;
        continue;
      }
      if (c == q) {
        if (i + 1 < n && s.charAt(i + 1) == q) {
          i += 2; // doubled quote is an escaped quote
          continue;
        }
        return i;
      }
      i++;
    }
    return n;
  }

  private static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || c == '_' || c == '$' || c >= 0x80 && Character.isLetter(c);
  }

  private static boolean isWordByte(char c) {
    return Text.isWordChar(Text.lower(c)) || c == '$' || c >= 0x80 && Character.isLetter(c);
  }

  private static char wordType(String w, String s, int after) {
    if (LOGIC.contains(w)) {
      return '&';
    }
    if (UNIONS.contains(w)) {
      return 'U';
    }
    if (STATEMENTS.contains(w)) {
      return 'E';
    }
    if (LITERALS.contains(w)) {
      return '1';
    }
    if (OPERATOR_WORDS.contains(w)) {
      return 'o';
    }
    if (ARITHMETIC_WORDS.contains(w)) {
      return 'a';
    }
    int j = after;
    while (j < s.length() && (Transformation.isSpace(s.charAt(j)))) {
      j++;
    }
    // a comment between a function name and its parenthesis is allowed: sleep/**/(5)
    if (j + 1 < s.length() && s.charAt(j) == '/' && s.charAt(j + 1) == '*') {
      int end = s.indexOf("*/", j + 2);
      if (end > 0) {
        j = end + 2;
        while (j < s.length() && Transformation.isSpace(s.charAt(j))) {
          j++;
        }
      }
    }
    boolean call = j < s.length() && s.charAt(j) == '(';
    if (call && (DANGEROUS_FUNCTIONS.contains(w) || FUNCTIONS.contains(w))) {
      return 'f';
    }
    if (KEYWORDS.contains(w)) {
      return 'k';
    }
    return 'n';
  }

  private static boolean dangerous(Token t) {
    return t.type() == 'f' && DANGEROUS_FUNCTIONS.contains(t.text());
  }

  // ---- folding ----------------------------------------------------------------------------

  private static List<Token> fold(List<Token> in) {
    List<Token> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      Token t = in.get(i);
      char ty = t.type();
      if (ty == 'c') {
        // Comments are white space, except a comment ending the input (it cuts off the rest of
        // the application's query: admin'--).
        boolean last = true;
        for (int k = i + 1; k < in.size(); k++) {
          if (in.get(k).type() != 'c') {
            last = false;
            break;
          }
        }
        if (last && (out.isEmpty() || out.get(out.size() - 1).type() != 'c')) {
          out.add(t);
        }
        continue;
      }
      Token prev = out.isEmpty() ? null : out.get(out.size() - 1);
      if (ty == 'x') {
        // Prose punctuation: keep one marker so that "a . b" does not read as "a b".
        if (prev == null || prev.type() != 'x') {
          out.add(t);
        }
        continue;
      }
      if (prev != null) {
        char p = prev.type();
        // UNION ALL / UNION DISTINCT, ORDER BY / GROUP BY
        if (p == 'U' && (t.text().equals("all") || t.text().equals("distinct"))) {
          continue;
        }
        if (p == 'k'
            && t.text().equals("by")
            && (prev.text().equals("order") || prev.text().equals("group"))) {
          continue;
        }
        // adjacent strings concatenate: 'a' 'b'
        if (p == 's' && ty == 's') {
          continue;
        }
        // NOT after a logic operator: AND NOT 1=2
        if (p == '&' && ty == 'a' && (t.text().equals("not") || t.text().equals("!"))) {
          continue;
        }
        // runs of operators collapse into the first: = - 1, <> !
        if ((p == 'o' || p == 'a') && (ty == 'o' || ty == 'a')) {
          continue;
        }
      }
      // a unary sign before an operand at the start or after an operator is not an operator
      if (ty == 'a'
          && (t.text().equals("-")
              || t.text().equals("+")
              || t.text().equals("~")
              || t.text().equals("!"))
          && i + 1 < in.size()
          && "1nvsf(".indexOf(in.get(i + 1).type()) >= 0
          && (prev == null || "oa&(,".indexOf(prev.type()) >= 0)) {
        continue;
      }
      out.add(t);
    }
    // A dangerous function keeps its type; an ordinary function after a logic operator is as
    // telling (1 AND ASCII(SUBSTRING(...))>64), so the 'f' stays for both.
    for (int i = 0; i < out.size(); i++) {
      Token t = out.get(i);
      if (t.type() == 'f' && !dangerous(t) && i == 0) {
        // a value that starts with an ordinary function call (count(3), max(a)) is not an
        // injection by itself; mark it as a bareword so "^f(" only catches dangerous ones.
        out.set(i, new Token('n', t.text()));
      }
    }
    return out;
  }

  /** Exposed for the word lists' tests. */
  static Map<String, Set<String>> wordLists() {
    return Map.of("statements", STATEMENTS, "keywords", KEYWORDS, "dangerous", DANGEROUS_FUNCTIONS);
  }
}
