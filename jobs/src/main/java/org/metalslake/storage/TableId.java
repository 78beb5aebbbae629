package org.metalslake.storage;

import java.util.Locale;
import java.util.Objects;

/** A table of the lake, named {@code layer.table} (e.g. {@code gold.production_growth}). */
public record TableId(String layer, String table) {
  public static final String BRONZE = "bronze";
  public static final String SILVER = "silver";
  public static final String GOLD = "gold";
  public static final String REF = "ref";
  public static final String OPS = "ops";

  /** A lake table's name inside SQL text: {@code gold.x}, {@code silver . `y`}, any case. */
  public static final java.util.regex.Pattern NAMED =
      java.util.regex.Pattern.compile(
          "(?i)\\b(bronze|silver|gold|ref|ops)\\s*\\.\\s*`?([a-z0-9_]+)`?");

  public TableId {
    Objects.requireNonNull(layer);
    Objects.requireNonNull(table);
    if (!layer.matches("[a-z_]+") || !table.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("bad table name: " + layer + "." + table);
    }
  }

  /** Parses {@code layer.table}. */
  public static TableId parse(String name) {
    String[] parts = name.trim().toLowerCase(Locale.ROOT).split("\\.");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "table names are layer.table, e.g. gold.production_growth; got '" + name + "'");
    }
    return new TableId(parts[0], parts[1]);
  }

  public String qualified() {
    return layer + "." + table;
  }

  @Override
  public String toString() {
    return qualified();
  }
}
