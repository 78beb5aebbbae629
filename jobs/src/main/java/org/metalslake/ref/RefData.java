package org.metalslake.ref;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
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
          "usgs_world_types.csv");

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

  // ---------------------------------------------------------------- tables

  /** A digest of the reference files behind a ref.* table, to skip rewriting unchanged ones. */
  public String fingerprint(String table) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      String source =
          switch (table) {
            case "countries", "country_aliases" -> "countries.csv";
            default -> table + ".csv";
          };
      md.update(table.getBytes(StandardCharsets.UTF_8));
      md.update(files.get(source).toString().getBytes(StandardCharsets.UTF_8));
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
    return out;
  }

  public Dataset<Row> groups() {
    return groups;
  }

  public Dataset<Row> countries() {
    return countries;
  }
}
