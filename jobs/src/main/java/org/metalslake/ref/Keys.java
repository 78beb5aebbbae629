package org.metalslake.ref;

import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Locale;
import org.apache.spark.sql.Column;

/**
 * Normalisation of names for matching against reference data, written twice on purpose: once for
 * the driver (reference rows) and once as a Spark expression (input rows). Both must agree.
 */
public final class Keys {
  private Keys() {}

  /** Lower case, no-break spaces and curly quotes made plain, blanks collapsed and trimmed. */
  public static String normalise(String s) {
    if (s == null) {
      return null;
    }
    String t = s.replace('\u00A0', ' ').replace('\u2019', '\'').replace('\u2018', '\'');
    return t.replaceAll("\\s+", " ").trim().toLowerCase(Locale.ROOT);
  }

  public static Column normalise(Column c) {
    return lower(trim(regexp_replace(translate(c, "\u00A0\u2019\u2018", " ''"), "\\s+", " ")));
  }

  /**
   * True for the name of an area not elsewhere specified ({@code Other Europe, nes}, {@code Areas,
   * n.e.s.}, {@code Europe EFTA, not elsewhere specified}): an area, not a country.
   */
  public static boolean isAreaNes(String name) {
    String n = normalise(name);
    return n != null && n.matches(NES);
  }

  /** {@link #isAreaNes(String)} as a Spark expression. */
  public static Column isAreaNes(Column name) {
    return normalise(name).rlike(NES);
  }

  private static final String NES = ".*(\\bnes\\b|n\\.e\\.s|not elsewhere specified).*";

  /** Drops footnote digits glued to a name ({@code World total (rounded) 10}, {@code Chile2}). */
  public static Column withoutFootnote(Column normalised) {
    return when(
            substring(normalised, -1, 1).between("0", "9"),
            regexp_replace(normalised, "(?<=[a-z\\)])\\s*[0-9]+$", ""))
        .otherwise(normalised);
  }

  /** Drops a trailing qualifier in parentheses ({@code Canada (shipments)} → {@code canada}). */
  public static Column withoutQualifier(Column normalised) {
    return when(normalised.endsWith(")"), trim(regexp_replace(normalised, "\\s*\\([^)]*\\)$", "")))
        .otherwise(normalised);
  }
}
