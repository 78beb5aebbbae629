package org.metalslake.ref;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.metalslake.csv.CsvText;

/**
 * Reference data (countries, metals, stages, units, groups, source mappings): versioned CSV files
 * bundled with the application, each of which a user may override with a file of the same name in
 * {@code ref.dir}. Lookups are broadcast joins on normalised names.
 */
public final class RefData {
  public static final List<String> FILES =
      List.of(
          "countries.csv",
          "metals.csv",
          "metal_groups.csv",
          "stages.csv",
          "units.csv",
          "usgs_world_types.csv",
          "hs_commodities.csv",
          "hs_scope.csv",
          "hs_headings.csv",
          "baci_country_codes.csv",
          "trade_areas.csv",
          "usgs_salient_columns.csv",
          "usgs_commodities.csv",
          "usgs_published_commodities.csv",
          "price_series.csv");

  private final SparkSession spark;
  private final Map<String, List<List<String>>> files = new LinkedHashMap<>();
  private Dataset<Row> countries;
  private Dataset<Row> countryKeys;
  private Dataset<Row> metals;
  private Dataset<Row> metalKeys;
  private Dataset<Row> stages;
  private Dataset<Row> stageKeys;
  private Dataset<Row> units;
  private Dataset<Row> unitExact;
  private Dataset<Row> unitLoose;
  private Dataset<Row> groups;
  private Dataset<Row> usgsWorldTypes;
  private Dataset<Row> usgsPublishedCommodities;
  private Dataset<Row> hsCommodities;
  private Dataset<Row> hsHeadings;
  private List<String> hsScope;
  private Dataset<Row> tradeCodes;
  private Dataset<Row> releaseCodes;
  private List<Map<String, String>> salientColumns;
  private List<Map<String, String>> usgsCommodities;
  private List<Map<String, String>> priceSeries;
  private final Map<String, Double> factorOverrides = new LinkedHashMap<>();
  private final Map<String, String> countryKinds = new LinkedHashMap<>();
  private final Map<String, String[]> countryByKey = new LinkedHashMap<>();

  private RefData(SparkSession spark) {
    this.spark = spark;
  }

  /** Loads the bundled reference files, with files in {@code overrideDir} taking precedence. */
  public static RefData load(SparkSession spark, String overrideDir) {
    RefData ref = new RefData(spark);
    for (String name : FILES) {
      ref.files.put(name, rows(name, overrideDir));
    }
    ref.build();
    ref.buildTrade();
    return ref;
  }

  /**
   * The records of reference file {@code name}, header first: the file of that name in {@code
   * overrideDir} if there is one, else the bundled copy. Read like every input file (any delimiter,
   * UTF-8 or Windows-1252, so a code list saved by a spreadsheet or shipped in Latin-1 reads as it
   * is).
   */
  public static List<List<String>> rows(String name, String overrideDir) {
    try {
      return CsvText.readAll(bytes(name, overrideDir), null);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read reference file " + name + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(String name, String overrideDir) throws IOException {
    if (overrideDir != null && !overrideDir.isBlank()) {
      Path p = Path.of(overrideDir, name);
      if (Files.isRegularFile(p)) {
        return Files.readAllBytes(p);
      }
    }
    try (InputStream in = RefData.class.getClassLoader().getResourceAsStream("ref/" + name)) {
      if (in == null) {
        throw new IllegalStateException("bundled reference file missing: ref/" + name);
      }
      return in.readAllBytes();
    }
  }

  private List<Map<String, String>> records(String file) {
    List<List<String>> rows = files.get(file);
    List<String> header = rows.get(0).stream().map(String::trim).toList();
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 1; i < rows.size(); i++) {
      List<String> r = rows.get(i);
      if (r.size() != header.size()) {
        throw new IllegalArgumentException(
            "reference file "
                + file
                + " line "
                + (i + 1)
                + ": expected "
                + header.size()
                + " fields, found "
                + r.size());
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int j = 0; j < header.size(); j++) {
        m.put(header.get(j), r.get(j).trim());
      }
      out.add(m);
    }
    return out;
  }

  private static List<String> aliases(String field) {
    List<String> out = new ArrayList<>();
    if (field == null || field.isBlank()) {
      return out;
    }
    for (String a : field.split("\\|")) {
      if (!a.isBlank()) {
        out.add(a.trim());
      }
    }
    return out;
  }

  private Dataset<Row> frame(List<Row> rows, String ddl) {
    return spark.createDataFrame(rows, StructType.fromDDL(ddl));
  }

  private void build() {
    List<Row> countryRows = new ArrayList<>();
    Map<String, String[]> cKeys = new LinkedHashMap<>();
    for (Map<String, String> m : records("countries.csv")) {
      String iso3 = m.get("iso3");
      countryRows.add(
          RowFactory.create(
              iso3,
              emptyToNull(m.get("iso2")),
              emptyToNull(m.get("m49")),
              m.get("name"),
              m.get("kind"),
              emptyToNull(m.get("aliases")),
              m.get("until") == null || m.get("until").isEmpty()
                  ? null
                  : Integer.valueOf(m.get("until"))));
      List<String> keys = new ArrayList<>(List.of(iso3, m.get("name")));
      if (!m.get("iso2").isEmpty()) {
        keys.add(m.get("iso2"));
      }
      keys.addAll(aliases(m.get("aliases")));
      for (String k : keys) {
        putUnique(cKeys, Keys.normalise(k), new String[] {iso3, m.get("kind")}, "countries.csv");
      }
    }
    cKeys.forEach(countryByKey::put);
    countryRows.forEach(r -> countryKinds.put(r.getString(0), r.getString(4)));
    countries =
        frame(
            countryRows,
            "iso3 STRING, iso2 STRING, m49 STRING, name STRING, kind STRING, aliases STRING,"
                + " until INT");
    countryKeys =
        frame(
            cKeys.entrySet().stream()
                .map(e -> RowFactory.create(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList(),
            "key STRING, iso3 STRING, kind STRING");

    List<Row> metalRows = new ArrayList<>();
    Map<String, String[]> mKeys = new LinkedHashMap<>();
    for (Map<String, String> m : records("metals.csv")) {
      metalRows.add(
          RowFactory.create(
              m.get("code"), m.get("name"), emptyToNull(m.get("aliases")), m.get("category")));
      List<String> keys = new ArrayList<>(List.of(m.get("code"), m.get("name")));
      keys.addAll(aliases(m.get("aliases")));
      for (String k : keys) {
        putUnique(mKeys, Keys.normalise(k), new String[] {m.get("code")}, "metals.csv");
      }
    }
    metals = frame(metalRows, "code STRING, name STRING, aliases STRING, category STRING");
    metalKeys = keyFrame(mKeys);

    List<Row> stageRows = new ArrayList<>();
    Map<String, String[]> sKeys = new LinkedHashMap<>();
    for (Map<String, String> m : records("stages.csv")) {
      stageRows.add(
          RowFactory.create(
              m.get("code"), m.get("name"), emptyToNull(m.get("aliases")), m.get("description")));
      List<String> keys = new ArrayList<>(List.of(m.get("code"), m.get("name")));
      keys.addAll(aliases(m.get("aliases")));
      for (String k : keys) {
        putUnique(sKeys, Keys.normalise(k), new String[] {m.get("code")}, "stages.csv");
      }
    }
    stages = frame(stageRows, "code STRING, name STRING, aliases STRING, description STRING");
    stageKeys = keyFrame(sKeys);

    List<Row> unitRows = new ArrayList<>();
    List<Row> exact = new ArrayList<>();
    Map<String, String[]> loose = new LinkedHashMap<>();
    Map<String, Integer> lowerCodes = new LinkedHashMap<>();
    for (Map<String, String> m : records("units.csv")) {
      lowerCodes.merge(m.get("code").toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    for (Map<String, String> m : records("units.csv")) {
      double factor = Double.parseDouble(m.get("factor_to_t"));
      String code = m.get("code");
      unitRows.add(RowFactory.create(code, m.get("name"), emptyToNull(m.get("aliases")), factor));
      exact.add(RowFactory.create(code, code, factor));
      List<String> keys = new ArrayList<>(aliases(m.get("aliases")));
      keys.add(m.get("name"));
      String lc = code.toLowerCase(Locale.ROOT);
      // A code whose lower case is unambiguous also matches case-insensitively (KG, Kt);
      // 'mt' is not one of them: it means a metric ton to some and a megatonne to others.
      boolean caseSensitive = Boolean.parseBoolean(m.get("case_sensitive_code"));
      if (!caseSensitive || (lowerCodes.get(lc) == 1 && !lc.equals("mt"))) {
        keys.add(code);
      }
      for (String k : keys) {
        if (!k.toLowerCase(Locale.ROOT).equals("mt")) {
          putUnique(loose, Keys.normalise(k), new String[] {code, m.get("factor_to_t")}, "units");
        }
      }
    }
    units = frame(unitRows, "code STRING, name STRING, aliases STRING, factor_to_t DOUBLE");
    unitExact = frame(exact, "key STRING, unit STRING, factor_to_t DOUBLE");
    unitLoose =
        frame(
            loose.entrySet().stream()
                .map(
                    e ->
                        RowFactory.create(
                            e.getKey(), e.getValue()[0], Double.parseDouble(e.getValue()[1])))
                .toList(),
            "key STRING, unit STRING, factor_to_t DOUBLE");

    List<Row> groupRows = new ArrayList<>();
    for (Map<String, String> m : records("metal_groups.csv")) {
      groupRows.add(
          RowFactory.create(
              m.get("group_code"), m.get("group_name"), m.get("metal"), m.get("stage")));
    }
    groups = frame(groupRows, "group_code STRING, group_name STRING, metal STRING, stage STRING");

    List<Row> usgsRows = new ArrayList<>();
    for (Map<String, String> m : records("usgs_world_types.csv")) {
      usgsRows.add(
          RowFactory.create(
              Keys.normalise(m.get("commodity")),
              Keys.normalise(m.get("type")),
              m.get("metal"),
              m.get("stage"),
              m.get("basis")));
    }
    usgsWorldTypes =
        frame(
            usgsRows,
            "commodity_key STRING, type_key STRING, metal STRING, stage STRING, basis STRING");

    List<Row> publishedRows = new ArrayList<>();
    java.util.Set<String> publishedNames = new java.util.HashSet<>();
    for (Map<String, String> m : records("usgs_published_commodities.csv")) {
      String key = Keys.normalise(m.get("name"));
      if (!publishedNames.add(key)) {
        throw new IllegalArgumentException(
            "reference file usgs_published_commodities.csv: name '"
                + m.get("name")
                + "' is listed twice (names match ignoring case and blanks)");
      }
      publishedRows.add(
          RowFactory.create(
              key,
              m.get("name"),
              m.get("metal"),
              m.get("nir_stage"),
              emptyToNull(m.get("production_stage")),
              m.get("basis").isEmpty() ? "metal_content" : m.get("basis"),
              emptyToNull(m.get("note"))));
    }
    usgsPublishedCommodities =
        frame(
            publishedRows,
            "name_key STRING, name STRING, metal STRING, nir_stage STRING,"
                + " production_stage STRING, basis STRING, note STRING");
  }

  private void buildTrade() {
    List<Row> hsRows = new ArrayList<>();
    for (Map<String, String> m : records("hs_commodities.csv")) {
      String code = m.get("hs_code").replaceAll("[^0-9]", "");
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
      hsRows.add(
          RowFactory.create(
              code,
              m.get("description"),
              m.get("metal"),
              m.get("stage"),
              factor,
              note,
              emptyToNull(m.get("valid_from")),
              emptyToNull(m.get("valid_to"))));
    }
    for (String code : factorOverrides.keySet()) {
      if (hsRows.stream().noneMatch(r -> r.getString(0).equals(code))) {
        throw new IllegalArgumentException(
            "trade.content-factors names HS " + code + ", which ref hs_commodities.csv lacks");
      }
    }
    hsCommodities =
        frame(
            hsRows,
            "hs_code STRING, description STRING, metal STRING, stage STRING,"
                + " content_factor DOUBLE, factor_source STRING, valid_from STRING,"
                + " valid_to STRING");
    hsHeadings = frame(headingRows(hsRows), HEADING_DDL);
    hsScope =
        records("hs_scope.csv").stream()
            .map(m -> m.get("prefix").replaceAll("[^0-9]", ""))
            .filter(p -> !p.isEmpty())
            .toList();

    Map<Integer, String[]> codes = new LinkedHashMap<>();
    for (Map<String, String> m : records("trade_areas.csv")) {
      codes.put(Integer.parseInt(m.get("code")), new String[] {m.get("iso3"), m.get("name")});
    }
    for (Map<String, String> m : records("baci_country_codes.csv")) {
      // Ours (country_iso3, country_name) or CEPII's own layout (iso_3digit_alpha, …).
      String code = field(m, "country_code");
      String iso3 = field(m, "country_iso3", "iso_3digit_alpha");
      String name = field(m, "country_name", "country_name_abbreviation");
      String full = field(m, "country_name_full");
      String[] resolved = resolveTradeCode(iso3, name, full);
      if (resolved == null && codes.containsKey(Integer.parseInt(code))) {
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
      codes.put(Integer.parseInt(code), new String[] {resolved[0], name});
    }
    List<Row> codeRows = new ArrayList<>();
    for (Map.Entry<Integer, String[]> e : codes.entrySet()) {
      String iso3 = e.getValue()[0];
      String kind = countryKinds.get(iso3);
      if (kind == null) {
        throw new IllegalArgumentException(
            "reference trade country code "
                + e.getKey()
                + " maps to "
                + iso3
                + ", which countries.csv lacks");
      }
      codeRows.add(RowFactory.create(e.getKey(), iso3, kind, e.getValue()[1]));
    }
    tradeCodes = frame(codeRows, "code INT, iso3 STRING, kind STRING, name STRING");
    salientColumns = records("usgs_salient_columns.csv");
    usgsCommodities = records("usgs_commodities.csv");
    priceSeries = records("price_series.csv");
    for (Map<String, String> m : priceSeries) {
      if (m.get("source").isEmpty() || m.get("series_id").isEmpty()) {
        throw new IllegalArgumentException(
            "price_series.csv: every row needs a source and a series_id: " + m);
      }
      if (!List.of("M", "D").contains(m.get("freq"))) {
        throw new IllegalArgumentException(
            "price_series.csv: freq '" + m.get("freq") + "' is not M or D: " + m);
      }
    }
  }

  private static final String HEADING_DDL =
      "heading STRING, description STRING, metal STRING, stage STRING, content_factor DOUBLE,"
          + " factor_source STRING";

  /**
   * What a code reported at 4 digits (a heading, as in a Comtrade download at that level) maps to:
   * the row of hs_headings.csv when there is one; else the heading's 6-digit rows when they agree
   * on metal and stage, with the factor of its first subheading (the refined or unalloyed form that
   * dominates the weight; an assumption where the factors differ). A heading whose subheadings are
   * other metals or stages has no row: its 4-digit code is unknown.
   */
  private List<Row> headingRows(List<Row> hsRows) {
    Map<String, Row> out = new java.util.TreeMap<>();
    Map<String, List<Row>> children = new java.util.TreeMap<>();
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
    for (Map<String, String> m : records("hs_headings.csv")) {
      String h = m.get("heading").replaceAll("[^0-9]", "");
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

  /**
   * A trade code list's country: its ISO3 when ref.countries knows it; else (CEPII writes {@code
   * N/A} for areas) the country its name or full name is known by ({@code Other Asia, nes} is
   * Taiwan); else, for an area not elsewhere specified, XOC. Null when none applies. The same rule
   * conforms a code list that lands with trade data ({@code conform.TradeCountryCodes}).
   */
  String[] resolveTradeCode(String iso3, String name, String fullName) {
    if (iso3 != null && countryKinds.containsKey(iso3.trim().toUpperCase(Locale.ROOT))) {
      return new String[] {iso3.trim().toUpperCase(Locale.ROOT)};
    }
    for (String n : java.util.Arrays.asList(name, fullName)) {
      String[] byName = n == null ? null : countryByKey.get(Keys.normalise(n));
      if (byName != null) {
        return new String[] {byName[0]};
      }
    }
    for (String n : java.util.Arrays.asList(name, fullName)) {
      if (n != null && Keys.isAreaNes(n)) {
        return new String[] {"XOC"};
      }
    }
    return null;
  }

  /** The value of the first of {@code names} the record has, by column key; null if none. */
  private static String field(Map<String, String> record, String... names) {
    for (String n : names) {
      for (Map.Entry<String, String> e : record.entrySet()) {
        if (org.metalslake.csv.ColumnKey.of(e.getKey())
            .equals(org.metalslake.csv.ColumnKey.of(n))) {
          return e.getValue();
        }
      }
    }
    return null;
  }

  private Dataset<Row> keyFrame(Map<String, String[]> keys) {
    return frame(
        keys.entrySet().stream().map(e -> RowFactory.create(e.getKey(), e.getValue()[0])).toList(),
        "key STRING, code STRING");
  }

  private static void putUnique(
      Map<String, String[]> map, String key, String[] value, String file) {
    String[] old = map.putIfAbsent(key, value);
    if (old != null && !old[0].equals(value[0])) {
      throw new IllegalArgumentException(
          "reference file "
              + file
              + ": name '"
              + key
              + "' is used for both "
              + old[0]
              + " and "
              + value[0]);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  // ---------------------------------------------------------------- lookups (pure transforms)

  /**
   * Adds {@code <out>} (ISO3 or pseudo-code such as WLD) and {@code <out>_kind} for the country
   * name or code in {@code nameCol}: exact name first, then without footnote digits, then without a
   * trailing qualifier in parentheses.
   */
  public Dataset<Row> withCountry(Dataset<Row> df, String nameCol, String out) {
    Column norm = Keys.normalise(col(nameCol));
    Column full = Keys.withoutFootnote(norm);
    Dataset<Row> keyed =
        df.withColumn("__ck1", full).withColumn("__ck2", Keys.withoutQualifier(full));
    Dataset<Row> k1 =
        broadcast(
            countryKeys.select(
                col("key").as("__k1"), col("iso3").as("__i1"), col("kind").as("__d1")));
    Dataset<Row> k2 =
        broadcast(
            countryKeys.select(
                col("key").as("__k2"), col("iso3").as("__i2"), col("kind").as("__d2")));
    return keyed
        .join(k1, keyed.col("__ck1").equalTo(k1.col("__k1")), "left")
        .join(k2, col("__ck2").equalTo(k2.col("__k2")), "left")
        .withColumn(out, coalesce(col("__i1"), col("__i2")))
        .withColumn(out + "_kind", coalesce(col("__d1"), col("__d2")))
        .drop("__ck1", "__ck2", "__k1", "__i1", "__d1", "__k2", "__i2", "__d2");
  }

  public Dataset<Row> withMetal(Dataset<Row> df, String nameCol, String out) {
    return codeLookup(df, nameCol, out, metalKeys);
  }

  public Dataset<Row> withStage(Dataset<Row> df, String nameCol, String out) {
    return codeLookup(df, nameCol, out, stageKeys);
  }

  private static Dataset<Row> codeLookup(
      Dataset<Row> df, String nameCol, String out, Dataset<Row> keys) {
    Dataset<Row> k = broadcast(keys.select(col("key").as("__mk"), col("code").as("__mc")));
    return df.join(k, Keys.normalise(col(nameCol)).equalTo(k.col("__mk")), "left")
        .withColumn(out, col("__mc"))
        .drop("__mk", "__mc");
  }

  /** Adds {@code <out>} (unit code) and {@code <out>_factor} (tonnes per unit). */
  public Dataset<Row> withUnit(Dataset<Row> df, String nameCol, String out) {
    Dataset<Row> e =
        broadcast(
            unitExact.select(
                col("key").as("__ue"), col("unit").as("__uc1"), col("factor_to_t").as("__uf1")));
    Dataset<Row> l =
        broadcast(
            unitLoose.select(
                col("key").as("__ul"), col("unit").as("__uc2"), col("factor_to_t").as("__uf2")));
    return df.join(e, trim(col(nameCol)).equalTo(e.col("__ue")), "left")
        .join(l, Keys.normalise(col(nameCol)).equalTo(l.col("__ul")), "left")
        .withColumn(out, coalesce(col("__uc1"), col("__uc2")))
        .withColumn(out + "_factor", coalesce(col("__uf1"), col("__uf2")))
        .drop("__ue", "__uc1", "__uf1", "__ul", "__uc2", "__uf2");
  }

  /** Adds metal, stage and basis for a USGS world-data (commodity, type) pair. */
  public Dataset<Row> withUsgsWorldType(Dataset<Row> df, String commodityCol, String typeCol) {
    Dataset<Row> m = broadcast(usgsWorldTypes);
    return df.join(
            m,
            Keys.normalise(col(commodityCol))
                .equalTo(m.col("commodity_key"))
                .and(Keys.normalise(col(typeCol)).equalTo(m.col("type_key"))),
            "left")
        .drop("commodity_key", "type_key");
  }

  /**
   * Adds {@code pub_metal}, {@code pub_nir_stage}, {@code pub_production_stage} and {@code
   * pub_basis} for a commodity named as USGS writes it in its published tables (Fig2, the
   * critical-minerals tables: {@code "COPPER, refined"}, {@code Tin }); null for a name the mapping
   * (usgs_published_commodities.csv) lacks. Names match ignoring case and blanks.
   */
  public Dataset<Row> withUsgsPublishedCommodity(Dataset<Row> df, String nameCol) {
    Dataset<Row> m =
        broadcast(
            usgsPublishedCommodities.select(
                col("name_key").as("__pck"),
                col("metal").as("pub_metal"),
                col("nir_stage").as("pub_nir_stage"),
                col("production_stage").as("pub_production_stage"),
                col("basis").as("pub_basis")));
    return df.join(m, Keys.normalise(col(nameCol)).equalTo(m.col("__pck")), "left").drop("__pck");
  }

  /**
   * A copy of this reference data with metal-content factors replaced for some HS codes (from the
   * configuration's {@code trade.content-factors}).
   */
  public RefData withContentFactors(Map<String, Double> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    RefData copy = copy();
    overrides.forEach((k, v) -> copy.factorOverrides.put(k.replaceAll("[^0-9]", ""), v));
    copy.build();
    copy.buildTrade();
    return copy;
  }

  /**
   * A copy of this reference data that resolves the numeric country codes of a trade release with
   * that release's own code list first ({@code silver.trade_country_codes}: source, release, code,
   * iso3, kind), the bundled lists after.
   */
  public RefData withReleaseTradeCodes(Dataset<Row> codes) {
    RefData copy = copy();
    copy.build();
    copy.buildTrade();
    copy.releaseCodes =
        codes
            .filter(col("iso3").isNotNull().and(col("code").isNotNull()))
            .select(
                col("source").as("__rs"),
                col("release").as("__rr"),
                col("code").as("__rc"),
                col("iso3").as("__ri"),
                col("kind").as("__rk"));
    return copy;
  }

  private RefData copy() {
    RefData copy = new RefData(spark);
    copy.files.putAll(files);
    copy.factorOverrides.putAll(factorOverrides);
    copy.releaseCodes = releaseCodes;
    return copy;
  }

  /**
   * Adds {@code <out>_metal}, {@code <out>_stage}, {@code <out>_factor} for the HS code (digits) in
   * {@code codeCol}: a 6-digit code by its own row, else by its heading's 4-digit row in
   * hs_commodities.csv (the rest of a heading); a 4-digit code by its heading ({@code
   * ref.hs_headings}).
   */
  public Dataset<Row> withHsCommodity(Dataset<Row> df, String codeCol, String out) {
    Dataset<Row> six =
        broadcast(
            hsCommodities
                .filter(length(col("hs_code")).equalTo(6))
                .select(
                    col("hs_code").as("__h6"),
                    col("metal").as("__m6"),
                    col("stage").as("__s6"),
                    col("content_factor").as("__f6")));
    Dataset<Row> rest =
        hsCommodities
            .filter(length(col("hs_code")).equalTo(4))
            .select(
                col("hs_code").as("__h4"),
                lit(6).as("__l4"),
                col("metal").as("__m4"),
                col("stage").as("__s4"),
                col("content_factor").as("__f4"));
    Dataset<Row> heads =
        hsHeadings.select(
            col("heading").as("__h4"),
            lit(4).as("__l4"),
            col("metal").as("__m4"),
            col("stage").as("__s4"),
            col("content_factor").as("__f4"));
    Dataset<Row> four = broadcast(rest.unionByName(heads));
    Column code = col(codeCol);
    return df.join(six, code.equalTo(six.col("__h6")), "left")
        .join(
            four,
            substring(code, 1, 4).equalTo(four.col("__h4")).and(length(code).equalTo(col("__l4"))),
            "left")
        .withColumn(out + "_metal", coalesce(col("__m6"), col("__m4")))
        .withColumn(out + "_stage", coalesce(col("__s6"), col("__s4")))
        .withColumn(out + "_factor", coalesce(col("__f6"), col("__f4")))
        .drop("__h6", "__m6", "__s6", "__f6", "__h4", "__l4", "__m4", "__s4", "__f4");
  }

  /** True when the HS code (digits) lies in the chapters this product covers (ref.hs_scope). */
  public Column hsInScope(Column code) {
    Column in = lit(false);
    for (String p : hsScope) {
      in = in.or(code.startsWith(p));
    }
    return coalesce(in, lit(false));
  }

  /**
   * Adds {@code <out>} (ISO3, WLD or XOC) and {@code <out>_kind} for a numeric trade country code
   * (UN Comtrade and CEPII BACI codes: mostly M49, with their own codes for a few countries and for
   * areas not elsewhere specified).
   */
  public Dataset<Row> withTradeCountryCode(Dataset<Row> df, String codeCol, String out) {
    Dataset<Row> k =
        broadcast(
            tradeCodes.select(
                col("code").as("__tc"), col("iso3").as("__ti"), col("kind").as("__tk")));
    return df.join(k, trim(col(codeCol)).try_cast("int").equalTo(k.col("__tc")), "left")
        .withColumn(out, col("__ti"))
        .withColumn(out + "_kind", col("__tk"))
        .drop("__tc", "__ti", "__tk");
  }

  /**
   * As {@link #withTradeCountryCode(Dataset, String, String)}, the code list of the record's own
   * release first (when one came with the data: {@link #withReleaseTradeCodes}).
   */
  public Dataset<Row> withTradeCountryCode(
      Dataset<Row> df, String codeCol, Column source, Column release, String out) {
    Dataset<Row> bundled = withTradeCountryCode(df, codeCol, out);
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

  /**
   * How USGS names a commodity in files without a commodity column, one map per row of
   * usgs_commodities.csv: {@code commodity}, {@code file_stems} and {@code type_words} (each a
   * {@code |} list).
   */
  public List<Map<String, String>> usgsCommodities() {
    return usgsCommodities;
  }

  /** The USGS salient column mapping, one map per row of usgs_salient_columns.csv. */
  public List<Map<String, String>> salientColumns() {
    return salientColumns;
  }

  /**
   * The price series mapping, one map per row of price_series.csv: a source's series id (a Pink
   * Sheet code, a FRED series id) to metal, market, series, currency, unit, the unit as the source
   * writes it and the frequency.
   */
  public List<Map<String, String>> priceSeries() {
    return priceSeries;
  }

  public Dataset<Row> hsCommodities() {
    return hsCommodities;
  }

  // ---------------------------------------------------------------- tables

  /** A digest of the reference files behind a ref.* table, to skip rewriting unchanged ones. */
  public String fingerprint(String table) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      List<String> sources =
          switch (table) {
            case "countries", "country_aliases" -> List.of("countries.csv");
            case "hs_headings" -> List.of("hs_commodities.csv", "hs_headings.csv");
            case "trade_country_codes" ->
                List.of("baci_country_codes.csv", "trade_areas.csv", "countries.csv");
            default -> List.of(table + ".csv");
          };
      md.update(table.getBytes(StandardCharsets.UTF_8));
      for (String source : sources) {
        md.update(files.get(source).toString().getBytes(StandardCharsets.UTF_8));
      }
      md.update(factorOverrides.toString().getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The ref.* tables as they are written to the lake. */
  public Map<String, Dataset<Row>> tables() {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    out.put("countries", countries);
    out.put(
        "country_aliases",
        countryKeys.select(col("key").as("alias"), col("iso3"), col("kind")).orderBy("alias"));
    out.put("metals", metals);
    out.put("metal_groups", groups);
    out.put("stages", stages);
    out.put("units", units);
    out.put(
        "usgs_world_types",
        usgsWorldTypes.select(
            col("commodity_key").as("commodity"),
            col("type_key").as("type"),
            col("metal"),
            col("stage"),
            col("basis")));
    out.put(
        "usgs_published_commodities",
        usgsPublishedCommodities.select(
            "name", "metal", "nir_stage", "production_stage", "basis", "note"));
    out.put("hs_commodities", hsCommodities);
    out.put("hs_headings", hsHeadings);
    out.put(
        "trade_country_codes",
        tradeCodes.select(col("code"), col("iso3"), col("kind"), col("name")).orderBy("code"));
    out.put(
        "usgs_salient_columns",
        frame(
            salientColumns.stream()
                .map(
                    m ->
                        RowFactory.create(
                            m.get("commodity"),
                            m.get("column"),
                            emptyToNull(m.get("release")),
                            m.get("measure"),
                            emptyToNull(m.get("metal")),
                            emptyToNull(m.get("stage")),
                            emptyToNull(m.get("unit")),
                            emptyToNull(m.get("basis")),
                            emptyToNull(m.get("method")),
                            emptyToNull(m.get("note"))))
                .toList(),
            "commodity STRING, column STRING, release STRING, measure STRING, metal STRING,"
                + " stage STRING, unit STRING, basis STRING, method STRING, note STRING"));
    out.put(
        "price_series",
        frame(
            priceSeries.stream()
                .map(
                    m ->
                        RowFactory.create(
                            m.get("source"),
                            m.get("series_id"),
                            emptyToNull(m.get("metal")),
                            emptyToNull(m.get("market")),
                            emptyToNull(m.get("series")),
                            emptyToNull(m.get("currency")),
                            emptyToNull(m.get("unit")),
                            emptyToNull(m.get("unit_reported")),
                            m.get("freq"),
                            emptyToNull(m.get("name")),
                            emptyToNull(m.get("note"))))
                .toList(),
            "source STRING, series_id STRING, metal STRING, market STRING, series STRING,"
                + " currency STRING, unit STRING, unit_reported STRING, freq STRING, name STRING,"
                + " note STRING"));
    return out;
  }

  public Dataset<Row> groups() {
    return groups;
  }

  public Dataset<Row> countries() {
    return countries;
  }
}
