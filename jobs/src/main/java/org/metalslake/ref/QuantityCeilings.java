package org.metalslake.ref;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * The largest quantity in metric tonnes a record may state before it is implausible (a typo, a unit
 * slip, a hostile file): one ceiling for every metal ({@code ingest.max-quantity-t}) and, for some
 * metals, their own ({@code ingest.max-quantity-t-by-metal}, keyed by metal code or name). Applied
 * as a literal, or a short chain of comparisons on the metal code: no lookup.
 */
public final class QuantityCeilings {
  public static final String SETTING = "ingest.max-quantity-t";
  public static final String BY_METAL_SETTING = "ingest.max-quantity-t-by-metal";

  /** 1,000 Mt: far above any country's or the world's yearly figure of the metals covered. */
  public static final double DEFAULT_T = 1.0e9;

  static final QuantityCeilings DEFAULT = new QuantityCeilings(DEFAULT_T, Map.of(), Map.of());

  private final double defaultT;
  private final Map<String, Double> byCode;
  private final Map<String, String> settingByCode;

  private QuantityCeilings(
      double defaultT, Map<String, Double> byCode, Map<String, String> settingByCode) {
    this.defaultT = defaultT;
    this.byCode = byCode;
    this.settingByCode = settingByCode;
  }

  /**
   * Ceilings from the configuration: {@code byMetal} keyed as the user wrote the metal (a code or a
   * name metals.csv knows), resolved with {@code codeOf} (null for an unknown metal).
   */
  static QuantityCeilings of(
      double defaultT,
      Map<String, Double> byMetal,
      java.util.function.Function<String, String> codeOf) {
    check(SETTING, defaultT);
    Map<String, Double> byCode = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    byMetal.forEach(
        (metal, t) -> {
          String key = BY_METAL_SETTING + "." + metal;
          check(key, t);
          String code = codeOf.apply(metal);
          if (code == null) {
            throw new IllegalArgumentException(
                key + " names metal '" + metal + "', which ref metals.csv lacks");
          }
          byCode.put(code, t);
          settings.put(code, key);
        });
    return new QuantityCeilings(defaultT, byCode, settings);
  }

  private static void check(String key, Double t) {
    if (t == null || !(t > 0) || t.isInfinite()) {
      throw new IllegalArgumentException(
          key + " must be a positive number of metric tonnes, not " + t);
    }
  }

  /** The ceiling in tonnes for the metal code in {@code metal} (the default for null or others). */
  public Column tonnes(Column metal) {
    Column out = null;
    for (Map.Entry<String, Double> e : byCode.entrySet()) {
      Column v = lit(e.getValue());
      out =
          out == null ? when(metal.equalTo(e.getKey()), v) : out.when(metal.equalTo(e.getKey()), v);
    }
    return out == null ? lit(defaultT) : out.otherwise(lit(defaultT));
  }

  /** The configuration key that sets the ceiling for the metal code in {@code metal}. */
  public Column setting(Column metal) {
    Column out = null;
    for (Map.Entry<String, String> e : settingByCode.entrySet()) {
      Column v = lit(e.getValue());
      out =
          out == null ? when(metal.equalTo(e.getKey()), v) : out.when(metal.equalTo(e.getKey()), v);
    }
    return out == null ? lit(SETTING) : out.otherwise(lit(SETTING));
  }

  public double defaultTonnes() {
    return defaultT;
  }

  /** The metals with their own ceiling, by metal code. */
  public Map<String, Double> byMetalCode() {
    return java.util.Collections.unmodifiableMap(byCode);
  }
}
