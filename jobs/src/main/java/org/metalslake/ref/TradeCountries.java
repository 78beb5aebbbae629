package org.metalslake.ref;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.metalslake.csv.ColumnKey;

/**
 * The numeric country codes of trade data (UN Comtrade and CEPII BACI: mostly M49), to ISO3, WLD or
 * XOC: areas by trade_areas.csv, countries by baci_country_codes.csv (in our layout or CEPII's),
 * each resolved against ref.countries; and, when a trade release came with its own code list, that
 * list first for that release's records.
 */
final class TradeCountries {
  private final Dataset<Row> codes;
  private final Dataset<Row> releaseCodes;

  private TradeCountries(Dataset<Row> codes, Dataset<Row> releaseCodes) {
    this.codes = codes;
    this.releaseCodes = releaseCodes;
  }

  TradeCountries(RefSource source, Countries countries) {
    Map<Integer, String[]> byCode = new LinkedHashMap<>();
    for (Map<String, String> m : source.records("trade_areas.csv")) {
      byCode.put(Integer.parseInt(m.get("code")), new String[] {m.get("iso3"), m.get("name")});
    }
    for (Map<String, String> m : source.records("baci_country_codes.csv")) {
      // Ours (country_iso3, country_name) or CEPII's own layout (iso_3digit_alpha, …).
      String code = field(m, "country_code");
      String iso3 = field(m, "country_iso3", "iso_3digit_alpha");
      String name = field(m, "country_name", "country_name_abbreviation");
      String full = field(m, "country_name_full");
      String resolved = country(countries, iso3, name, full);
      if (resolved == null && byCode.containsKey(Integer.parseInt(code))) {
        continue; // an area trade_areas.csv already places (CEPII's 849, US Misc. Pacific Isds)
      }
      if (resolved == null) {
        throw new IllegalArgumentException(
            "reference trade country code "
                + code
                + " maps to '"
                + iso3
                + "' ("
                + name
                + "), which countries.csv lacks");
      }
      byCode.put(Integer.parseInt(code), new String[] {resolved, name});
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Integer, String[]> e : byCode.entrySet()) {
      String iso3 = e.getValue()[0];
      String kind = countries.kind(iso3);
      if (kind == null) {
        throw new IllegalArgumentException(
            "reference trade country code "
                + e.getKey()
                + " maps to "
                + iso3
                + ", which countries.csv lacks");
      }
      rows.add(RowFactory.create(e.getKey(), iso3, kind, e.getValue()[1]));
    }
    codes = source.frame(rows, "code INT, iso3 STRING, kind STRING, name STRING");
    releaseCodes = null;
  }

  /**
   * A trade code list's country: its ISO3 when ref.countries knows it; else (CEPII writes {@code
   * N/A} for areas) the country its name or full name is known by ({@code Other Asia, nes} is
   * Taiwan); else, for an area not elsewhere specified, XOC. Null when none applies. The same rule
   * conforms a code list that lands with trade data ({@code conform.TradeCountryCodes}).
   */
  private static String country(Countries countries, String iso3, String name, String fullName) {
    if (iso3 != null && countries.has(iso3.trim().toUpperCase(Locale.ROOT))) {
      return iso3.trim().toUpperCase(Locale.ROOT);
    }
    for (String n : Arrays.asList(name, fullName)) {
      String byName = n == null ? null : countries.iso3ByName(n);
      if (byName != null) {
        return byName;
      }
    }
    for (String n : Arrays.asList(name, fullName)) {
      if (n != null && Keys.isAreaNes(n)) {
        return "XOC";
      }
    }
    return null;
  }

  /** The value of the first of {@code names} the record has, by column key; null if none. */
  private static String field(Map<String, String> record, String... names) {
    for (String n : names) {
      for (Map.Entry<String, String> e : record.entrySet()) {
        if (ColumnKey.of(e.getKey()).equals(ColumnKey.of(n))) {
          return e.getValue();
        }
      }
    }
    return null;
  }

  /** See {@link RefData#withReleaseTradeCodes(Dataset)}. */
  TradeCountries withReleaseCodes(Dataset<Row> release) {
    return new TradeCountries(
        codes,
        release
            .filter(col("iso3").isNotNull().and(col("code").isNotNull()))
            .select(
                col("source").as("__rs"),
                col("release").as("__rr"),
                col("code").as("__rc"),
                col("iso3").as("__ri"),
                col("kind").as("__rk")));
  }

  /** ref.trade_country_codes. */
  Dataset<Row> table() {
    return codes.select(col("code"), col("iso3"), col("kind"), col("name")).orderBy("code");
  }

  /** See {@link RefData#withTradeCountryCode(Dataset, String, String)}. */
  Dataset<Row> withCode(Dataset<Row> df, String codeCol, String out) {
    return RefSource.lookup(
            df,
            trim(col(codeCol)).try_cast("int"),
            codes,
            "code",
            "__tc",
            "iso3",
            "__ti",
            "kind",
            "__tk")
        .withColumn(out, col("__ti"))
        .withColumn(out + "_kind", col("__tk"))
        .drop("__tc", "__ti", "__tk");
  }

  /** See {@link RefData#withTradeCountryCode(Dataset, String, Column, Column, String)}. */
  Dataset<Row> withCode(
      Dataset<Row> df, String codeCol, Column source, Column release, String out) {
    Dataset<Row> bundled = withCode(df, codeCol, out);
    if (releaseCodes == null) {
      return bundled;
    }
    Dataset<Row> r = broadcast(releaseCodes);
    return bundled
        .join(
            r,
            trim(col(codeCol))
                .try_cast("int")
                .equalTo(r.col("__rc"))
                .and(source.equalTo(r.col("__rs")))
                .and(release.equalTo(r.col("__rr"))),
            "left")
        .withColumn(out, coalesce(col("__ri"), col(out)))
        .withColumn(out + "_kind", coalesce(col("__rk"), col(out + "_kind")))
        .drop("__rs", "__rr", "__rc", "__ri", "__rk");
  }
}
