package org.metalslake.ref;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * HS codes of traded goods: the metal, stage and metal-content factor of a 6-digit subheading or a
 * 4-digit heading (hs_commodities.csv, hs_headings.csv), with factors the configuration may
 * override, and the chapters the product covers (hs_scope.csv).
 */
final class HsCodes {
  private static final String HEADING_DDL =
      "heading STRING, description STRING, metal STRING, stage STRING, content_factor DOUBLE,"
          + " factor_source STRING";

  private final RefSource source;
  private final Map<String, Double> factorOverrides;
  private final Dataset<Row> commodities;
  private final Dataset<Row> headings;
  private final List<String> scope;

  /** The codes with the content factors of {@code factorOverrides} (by HS code, digits only). */
  HsCodes(RefSource source, Map<String, Double> factorOverrides) {
    this.source = source;
    this.factorOverrides = new LinkedHashMap<>(factorOverrides);
    List<Row> rows = new ArrayList<>();
    for (Map<String, String> m : source.records("hs_commodities.csv")) {
      String code = digits(m.get("hs_code"));
      if (code.length() != 4 && code.length() != 6) {
        throw new IllegalArgumentException(
            "reference file hs_commodities.csv: HS code '"
                + m.get("hs_code")
                + "' must have 4 or 6 digits");
      }
      double factor =
          factorOverrides.getOrDefault(code, Double.parseDouble(m.get("content_factor")));
      if (!(factor > 0 && factor <= 1)) {
        throw new IllegalArgumentException(
            "content factor of HS " + code + " must be in (0, 1], not " + factor);
      }
      String note =
          factorOverrides.containsKey(code)
              ? "overridden in configuration (trade.content-factors)"
              : m.get("factor_source");
      rows.add(
          RowFactory.create(
              code,
              m.get("description"),
              m.get("metal"),
              m.get("stage"),
              factor,
              note,
              RefSource.emptyToNull(m.get("valid_from")),
              RefSource.emptyToNull(m.get("valid_to"))));
    }
    for (String code : factorOverrides.keySet()) {
      if (rows.stream().noneMatch(r -> r.getString(0).equals(code))) {
        throw new IllegalArgumentException(
            "trade.content-factors names HS " + code + ", which ref hs_commodities.csv lacks");
      }
    }
    commodities =
        source.frame(
            rows,
            "hs_code STRING, description STRING, metal STRING, stage STRING,"
                + " content_factor DOUBLE, factor_source STRING, valid_from STRING,"
                + " valid_to STRING");
    headings = source.frame(headingRows(rows), HEADING_DDL);
    scope =
        source.records("hs_scope.csv").stream()
            .map(m -> digits(m.get("prefix")))
            .filter(p -> !p.isEmpty())
            .toList();
  }

  private static String digits(String code) {
    return code.replaceAll("[^0-9]", "");
  }

  /** These codes with the content factors of {@code overrides} as well (by HS code, any form). */
  HsCodes withContentFactors(Map<String, Double> overrides) {
    Map<String, Double> all = new LinkedHashMap<>(factorOverrides);
    all.putAll(normalised(overrides));
    return new HsCodes(source, all);
  }

  /** Content-factor overrides keyed by the digits of their HS code, in their order. */
  static Map<String, Double> normalised(Map<String, Double> overrides) {
    Map<String, Double> out = new LinkedHashMap<>();
    overrides.forEach((k, v) -> out.put(digits(k), v));
    return out;
  }

  /** The content factors overridden, by HS code (digits), in the order they were given. */
  Map<String, Double> factorOverrides() {
    return Collections.unmodifiableMap(factorOverrides);
  }

  /**
   * What a code reported at 4 digits (a heading, as in a Comtrade download at that level) maps to:
   * the row of hs_headings.csv when there is one; else the heading's 6-digit rows when they agree
   * on metal and stage, with the factor of its first subheading (the refined or unalloyed form that
   * dominates the weight; an assumption where the factors differ). A heading whose subheadings are
   * other metals or stages has no row: its 4-digit code is unknown.
   */
  private List<Row> headingRows(List<Row> hsRows) {
    Map<String, Row> out = new TreeMap<>();
    Map<String, List<Row>> children = new TreeMap<>();
    for (Row r : hsRows) {
      String code = r.getString(0);
      if (code.length() == 6) {
        children.computeIfAbsent(code.substring(0, 4), k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<Row>> e : children.entrySet()) {
      List<Row> rows = e.getValue();
      rows.sort((a, b) -> a.getString(0).compareTo(b.getString(0)));
      Row first = rows.get(0);
      boolean agree =
          rows.stream()
              .allMatch(
                  r ->
                      r.getString(2).equals(first.getString(2))
                          && r.getString(3).equals(first.getString(3)));
      if (!agree) {
        continue;
      }
      boolean sameFactor = rows.stream().allMatch(r -> r.getDouble(4) == first.getDouble(4));
      String note =
          rows.size() == 1
              ? "heading of the one subheading " + first.getString(0) + ": " + first.getString(5)
              : sameFactor
                  ? "heading: its subheadings share metal, stage and factor"
                  : "heading: factor of its first subheading "
                      + first.getString(0)
                      + " (assumption: that form dominates the heading's weight)";
      out.put(
          e.getKey(),
          RowFactory.create(
              e.getKey(),
              first.getString(1),
              first.getString(2),
              first.getString(3),
              first.getDouble(4),
              note));
    }
    for (Row r : hsRows) {
      // A heading's own row in hs_commodities.csv says what the heading is better than some of
      // its subheadings do.
      if (r.getString(0).length() == 4) {
        out.put(
            r.getString(0),
            RowFactory.create(
                r.getString(0),
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getDouble(4),
                r.getString(5)));
      }
    }
    for (Map<String, String> m : source.records("hs_headings.csv")) {
      String h = digits(m.get("heading"));
      if (h.length() != 4) {
        throw new IllegalArgumentException(
            "reference file hs_headings.csv: heading '"
                + m.get("heading")
                + "' must have 4 digits");
      }
      out.put(
          h,
          RowFactory.create(
              h,
              m.get("description"),
              m.get("metal"),
              m.get("stage"),
              Double.parseDouble(m.get("content_factor")),
              m.get("factor_source")));
    }
    return new ArrayList<>(out.values());
  }

  /** ref.hs_commodities (the factors as overridden). */
  Dataset<Row> commodities() {
    return commodities;
  }

  /** ref.hs_headings. */
  Dataset<Row> headings() {
    return headings;
  }

  /** See {@link RefData#withHsCommodity(Dataset, String, String)}. */
  Dataset<Row> withCommodity(Dataset<Row> df, String codeCol, String out) {
    Column code = col(codeCol);
    Dataset<Row> bySix =
        RefSource.lookup(
            df,
            code,
            commodities.filter(length(col("hs_code")).equalTo(6)),
            "hs_code",
            "__h6",
            "metal",
            "__m6",
            "stage",
            "__s6",
            "content_factor",
            "__f6");
    Dataset<Row> rest =
        commodities
            .filter(length(col("hs_code")).equalTo(4))
            .select(
                col("hs_code").as("__h4"),
                lit(6).as("__l4"),
                col("metal").as("__m4"),
                col("stage").as("__s4"),
                col("content_factor").as("__f4"));
    Dataset<Row> heads =
        headings.select(
            col("heading").as("__h4"),
            lit(4).as("__l4"),
            col("metal").as("__m4"),
            col("stage").as("__s4"),
            col("content_factor").as("__f4"));
    Dataset<Row> four = broadcast(rest.unionByName(heads));
    return bySix
        .join(
            four,
            substring(code, 1, 4).equalTo(four.col("__h4")).and(length(code).equalTo(col("__l4"))),
            "left")
        .withColumn(out + "_metal", coalesce(col("__m6"), col("__m4")))
        .withColumn(out + "_stage", coalesce(col("__s6"), col("__s4")))
        .withColumn(out + "_factor", coalesce(col("__f6"), col("__f4")))
        .drop("__h6", "__m6", "__s6", "__f6", "__h4", "__l4", "__m4", "__s4", "__f4");
  }

  /** See {@link RefData#hsInScope(Column)}. */
  Column inScope(Column code) {
    Column in = lit(false);
    for (String p : scope) {
      in = in.or(code.startsWith(p));
    }
    return coalesce(in, lit(false));
  }
}
