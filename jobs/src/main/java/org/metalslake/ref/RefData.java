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
import org.metalslake.ingest.Csv;

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
          "baci_country_codes.csv",
          "trade_areas.csv",
          "usgs_salient_columns.csv");

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
  private Dataset<Row> hsCommodities;
  private List<String> hsScope;
  private Dataset<Row> tradeCodes;
  private List<Map<String, String>> salientColumns;
  private final Map<String, Double> factorOverrides = new LinkedHashMap<>();

  private RefData(SparkSession spark) {
    this.spark = spark;
  }

  /** Loads the bundled reference files, with files in {@code overrideDir} taking precedence. */
  public static RefData load(SparkSession spark, String overrideDir) {
    RefData ref = new RefData(spark);
    for (String name : FILES) {
      ref.files.put(name, Csv.parse(read(name, overrideDir)));
    }
    ref.build();
    ref.buildTrade();
    return ref;
  }

  /**
   * The text of reference file {@code name}: the file of that name in {@code overrideDir} if there
   * is one, else the bundled copy. Also for reference files that are not loaded into tables here.
   */
  public static String read(String name, String overrideDir) {
    try {
      if (overrideDir != null && !overrideDir.isBlank()) {
        Path p = Path.of(overrideDir, name);
        if (Files.isRegularFile(p)) {
          return Files.readString(p, StandardCharsets.UTF_8);
        }
      }
      try (InputStream in = RefData.class.getClassLoader().getResourceAsStream("ref/" + name)) {
        if (in == null) {
          throw new IllegalStateException("bundled reference file missing: ref/" + name);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read reference file " + name, e);
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
              emptyToNull(m.get("aliases"))));
      List<String> keys = new ArrayList<>(List.of(iso3, m.get("name")));
      if (!m.get("iso2").isEmpty()) {
        keys.add(m.get("iso2"));
      }
      keys.addAll(aliases(m.get("aliases")));
      for (String k : keys) {
        putUnique(cKeys, Keys.normalise(k), new String[] {iso3, m.get("kind")}, "countries.csv");
      }
    }
    countries =
        frame(
            countryRows,
            "iso3 STRING, iso2 STRING, m49 STRING, name STRING, kind STRING, aliases STRING");
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
    hsScope =
        records("hs_scope.csv").stream()
            .map(m -> m.get("prefix").replaceAll("[^0-9]", ""))
            .filter(p -> !p.isEmpty())
            .toList();

    Map<Integer, String[]> codes = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    for (Map<String, String> m : records("countries.csv")) {
      kinds.put(m.get("iso3"), m.get("kind"));
    }
    for (Map<String, String> m : records("trade_areas.csv")) {
      codes.put(Integer.parseInt(m.get("code")), new String[] {m.get("iso3"), m.get("name")});
    }
    for (Map<String, String> m : records("baci_country_codes.csv")) {
      codes.put(
          Integer.parseInt(m.get("country_code")),
          new String[] {m.get("country_iso3"), m.get("country_name")});
    }
    List<Row> codeRows = new ArrayList<>();
    for (Map.Entry<Integer, String[]> e : codes.entrySet()) {
      String iso3 = e.getValue()[0];
      String kind = kinds.get(iso3);
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
   * A copy of this reference data with metal-content factors replaced for some HS codes (from the
   * configuration's {@code trade.content-factors}).
   */
  public RefData withContentFactors(Map<String, Double> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    RefData copy = new RefData(spark);
    copy.files.putAll(files);
    overrides.forEach((k, v) -> copy.factorOverrides.put(k.replaceAll("[^0-9]", ""), v));
    copy.build();
    copy.buildTrade();
    return copy;
  }

  /**
   * Adds {@code <out>_metal}, {@code <out>_stage}, {@code <out>_factor} for the HS code (digits) in
   * {@code codeCol}: the 6-digit row when there is one, else the 4-digit heading's.
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
    Dataset<Row> four =
        broadcast(
            hsCommodities
                .filter(length(col("hs_code")).equalTo(4))
                .select(
                    col("hs_code").as("__h4"),
                    col("metal").as("__m4"),
                    col("stage").as("__s4"),
                    col("content_factor").as("__f4")));
    Column code = col(codeCol);
    return df.join(six, code.equalTo(six.col("__h6")), "left")
        .join(four, substring(code, 1, 4).equalTo(four.col("__h4")), "left")
        .withColumn(out + "_metal", coalesce(col("__m6"), col("__m4")))
        .withColumn(out + "_stage", coalesce(col("__s6"), col("__s4")))
        .withColumn(out + "_factor", coalesce(col("__f6"), col("__f4")))
        .drop("__h6", "__m6", "__s6", "__f6", "__h4", "__m4", "__s4", "__f4");
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

  /** The USGS salient column mapping, one map per row of usgs_salient_columns.csv. */
  public List<Map<String, String>> salientColumns() {
    return salientColumns;
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
    out.put("hs_commodities", hsCommodities);
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
                            m.get("measure"),
                            emptyToNull(m.get("metal")),
                            emptyToNull(m.get("stage")),
                            emptyToNull(m.get("unit")),
                            emptyToNull(m.get("basis")),
                            emptyToNull(m.get("method")),
                            emptyToNull(m.get("note"))))
                .toList(),
            "commodity STRING, column STRING, measure STRING, metal STRING, stage STRING,"
                + " unit STRING, basis STRING, method STRING, note STRING"));
    return out;
  }

  public Dataset<Row> groups() {
    return groups;
  }

  public Dataset<Row> countries() {
    return countries;
  }
}
