package org.metalslake.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed, validated view of the HOCON configuration. */
public final class Settings {
  public static final String LAKE_ROOT = "lake.root";
  public static final String LAKE_LANDING = "lake.landing";
  public static final String LAKE_CATALOG = "lake.catalog";
  public static final String REF_DIR = "ref.dir";
  public static final String MAX_QUARANTINE_SHARE = "ingest.max-quarantine-share";
  public static final String INGEST_INCLUDE = "ingest.file-patterns";
  public static final String ON_REJECTED_FILE = "ingest.on-rejected-file";
  public static final String ENCODINGS = "ingest.encodings";
  public static final String MAX_QUANTITY_T = "ingest.max-quantity-t";
  public static final String MAX_QUANTITY_T_BY_METAL = "ingest.max-quantity-t-by-metal";
  public static final String SPARK_MASTER = "spark.master";
  public static final String CONTENT_FACTORS = "trade.content-factors";
  public static final String BALANCE_PRIORITY = "balance.source-priority";
  public static final String CAPACITY_PRIORITY = "capacity.source-priority";
  public static final String OVERCAPACITY_THRESHOLD = "capacity.overcapacity-threshold";
  public static final String PRICES_CONVERT_TO = "prices.convert-to";
  public static final String SPARK_APP_NAME = "spark.app-name";
  public static final String SPARK_CONF = "spark.conf";

  private final Config config;

  private Settings(Config config) {
    this.config = config;
    validate();
  }

  /** Loads the embedded defaults, then an optional file, then key=value overrides. */
  public static Settings load(File confFile, Map<String, String> overrides) {
    try {
      return loadUnchecked(confFile, overrides);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static Settings loadUnchecked(File confFile, Map<String, String> overrides) {
    Config base = ConfigFactory.defaultReference(Settings.class.getClassLoader());
    Config merged = base;
    if (confFile != null) {
      if (!confFile.isFile()) {
        throw new IllegalArgumentException("config file not found: " + confFile);
      }
      merged =
          ConfigFactory.parseFile(confFile, ConfigParseOptions.defaults().setAllowMissing(false))
              .withFallback(merged);
    }
    if (overrides != null && !overrides.isEmpty()) {
      Map<String, Object> map = new LinkedHashMap<>();
      overrides.forEach(map::put);
      merged = ConfigFactory.parseMap(map, "--set").withFallback(merged);
    }
    try {
      return new Settings(merged.resolve(ConfigResolveOptions.defaults()));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  public static Settings defaults() {
    return load(null, Map.of());
  }

  private void validate() {
    try {
      String catalog = config.getString(LAKE_CATALOG);
      if (!catalog.equals("path") && !catalog.equals("metastore")) {
        throw new IllegalArgumentException(
            LAKE_CATALOG + " must be 'path' or 'metastore', not '" + catalog + "'");
      }
      double share = config.getDouble(MAX_QUARANTINE_SHARE);
      if (share < 0 || share > 1) {
        throw new IllegalArgumentException(
            MAX_QUARANTINE_SHARE + " must be a fraction between 0 and 1, not " + share);
      }
      if (config.getString(LAKE_ROOT).isBlank()) {
        throw new IllegalArgumentException(LAKE_ROOT + " must not be empty");
      }
      config.getString(LAKE_LANDING);
      config.getStringList(INGEST_INCLUDE);
      failOnRejectedFiles();
      encodings();
      config.getConfig(SPARK_CONF);
      balanceSourcePriority();
      capacitySourcePriority();
      overcapacityThreshold();
      pricesConvertTo();
      contentFactors();
      maxQuantityT();
      maxQuantityTByMetal();
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  public String lakeRoot() {
    return config.getString(LAKE_ROOT);
  }

  /**
   * The landing folder. A relative folder that does not exist here is looked up under the
   * installation ({@code metalslake.home}, set by the launcher), so {@code run} finds the bundled
   * samples from any working directory.
   */
  public String landing() {
    return underHome(config.getString(LAKE_LANDING));
  }

  static String underHome(String path) {
    if (path.isBlank()
        || path.contains("://")
        || new File(path).isAbsolute()
        || new File(path).exists()) {
      return path;
    }
    String home = System.getProperty("metalslake.home");
    if (home != null && new File(home, path).exists()) {
      return new File(home, path).getPath();
    }
    return path;
  }

  public boolean registerInMetastore() {
    return config.getString(LAKE_CATALOG).equals("metastore");
  }

  public String refDir() {
    return config.getString(REF_DIR);
  }

  public static final String INTERPRETED_BELOW = "performance.interpreted-below-bytes";

  /** Batches of new input below this many bytes run interpreted (no code generation). */
  public long interpretedBelowBytes() {
    return config.getBytes(INTERPRETED_BELOW);
  }

  public static final String GOLD_BY_YEARS = "performance.gold-by-years";

  /** Whether gold tables that allow it are rebuilt by the years a batch touched. */
  public boolean goldByYears() {
    return config.getBoolean(GOLD_BY_YEARS);
  }

  public double maxQuarantineShare() {
    return config.getDouble(MAX_QUARANTINE_SHARE);
  }

  public List<String> includePatterns() {
    return config.getStringList(INGEST_INCLUDE);
  }

  /**
   * True when a file the run cannot ingest (unreadable, or a header no format knows) fails the
   * whole run ({@code fail}); by default ({@code continue}) it is rejected and the others go on.
   */
  public boolean failOnRejectedFiles() {
    String v = config.getString(ON_REJECTED_FILE).trim().toLowerCase(java.util.Locale.ROOT);
    if (!v.equals("continue") && !v.equals("fail")) {
      throw new IllegalArgumentException(
          ON_REJECTED_FILE + " must be 'continue' or 'fail', not '" + v + "'");
    }
    return v.equals("fail");
  }

  /** Character sets forced per file-name pattern (files not valid UTF-8 are otherwise cp1252). */
  public org.metalslake.csv.Encodings encodings() {
    Map<String, String> out = new LinkedHashMap<>();
    if (config.hasPath(ENCODINGS)) {
      for (Map.Entry<String, ConfigValue> e : config.getConfig(ENCODINGS).entrySet()) {
        out.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
      }
    }
    return new org.metalslake.csv.Encodings(out);
  }

  /** Metal-content factors that replace ref hs_commodities.csv's, by HS code. */
  public Map<String, Double> contentFactors() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!config.hasPath(CONTENT_FACTORS)) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e : config.getConfig(CONTENT_FACTORS).entrySet()) {
      String code = e.getKey().replace("\"", "");
      Object v = e.getValue().unwrapped();
      double f;
      try {
        f = Double.parseDouble(String.valueOf(v));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            CONTENT_FACTORS + "." + code + " must be a number between 0 and 1, not '" + v + "'");
      }
      if (!(f > 0 && f <= 1)) {
        throw new IllegalArgumentException(
            CONTENT_FACTORS + "." + code + " must be a fraction in (0, 1], not " + f);
      }
      out.put(code, f);
    }
    return out;
  }

  /**
   * The largest quantity in metric tonnes (after unit conversion) a record may state; above it the
   * record is quarantined as implausible.
   */
  public double maxQuantityT() {
    return positiveTonnes(MAX_QUANTITY_T, config.getValue(MAX_QUANTITY_T).unwrapped());
  }

  /** Metals with their own {@link #maxQuantityT}, keyed by metal code or name as written. */
  public Map<String, Double> maxQuantityTByMetal() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!config.hasPath(MAX_QUANTITY_T_BY_METAL)) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e : config.getConfig(MAX_QUANTITY_T_BY_METAL).entrySet()) {
      String metal = e.getKey().replace("\"", "");
      out.put(
          metal, positiveTonnes(MAX_QUANTITY_T_BY_METAL + "." + metal, e.getValue().unwrapped()));
    }
    return out;
  }

  private static double positiveTonnes(String key, Object v) {
    double t;
    try {
      t = Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(
          key + " must be a number of metric tonnes such as 1.0e9, not '" + v + "'");
    }
    if (!(t > 0) || Double.isInfinite(t)) {
      throw new IllegalArgumentException(
          key + " must be a positive number of metric tonnes, not " + v);
    }
    return t;
  }

  /** Sources preferred, in order, when several give the same figure of the supply balance. */
  public List<String> balanceSourcePriority() {
    return stringList(BALANCE_PRIORITY);
  }

  /**
   * Capacity sources preferred, in order, when several give the capacity of one country, metal,
   * stage and year; sources not listed come after (plant-level before country-level figures).
   */
  public List<String> capacitySourcePriority() {
    return stringList(CAPACITY_PRIORITY);
  }

  /** Capacity / demand above which {@code gold.capacity_utilisation} flags overcapacity. */
  public double overcapacityThreshold() {
    double t = config.getDouble(OVERCAPACITY_THRESHOLD);
    if (!(t > 0)) {
      throw new IllegalArgumentException(
          OVERCAPACITY_THRESHOLD
              + " must be a ratio above 0 (1.0 = capacity equals demand), not "
              + t);
    }
    return t;
  }

  /**
   * The currency {@code gold.price_trends} converts prices to where an exchange-rate series gives
   * the rate (ISO code, upper-case).
   */
  public String pricesConvertTo() {
    String c = config.getString(PRICES_CONVERT_TO).trim().toUpperCase(java.util.Locale.ROOT);
    if (!c.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException(
          PRICES_CONVERT_TO + " must be an ISO currency code such as USD, not '" + c + "'");
    }
    return c;
  }

  /** A list setting, from HOCON or from --set as a comma-separated string. */
  private List<String> stringList(String key) {
    if (config.getValue(key).valueType() == com.typesafe.config.ConfigValueType.LIST) {
      return config.getStringList(key);
    }
    // From --set: a comma-separated string, with or without HOCON's brackets and quotes.
    String raw = config.getString(key).trim();
    if (raw.startsWith("[") && raw.endsWith("]")) {
      raw = raw.substring(1, raw.length() - 1);
    }
    List<String> out = new java.util.ArrayList<>();
    for (String part : raw.split(",")) {
      String p = part.trim().replaceAll("^\"|\"$", "");
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  public String sparkMaster() {
    return config.getString(SPARK_MASTER);
  }

  public String sparkAppName() {
    return config.getString(SPARK_APP_NAME);
  }

  /** Spark settings from the {@code spark.conf} block, keys as Spark spells them. */
  public Map<String, String> sparkConf() {
    Map<String, String> out = new LinkedHashMap<>();
    Config block = config.getConfig(SPARK_CONF);
    for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
      String key = e.getKey().replace("\"", "");
      out.put(key, String.valueOf(e.getValue().unwrapped()));
    }
    return out;
  }

  /**
   * True when the Spark key was given by the user (a configuration file, {@code --set}, or
   * spark-submit's {@code --conf}), not only by the application's defaults.
   */
  public boolean explicitSparkConf(String key) {
    if (System.getProperty(key) != null) {
      return true;
    }
    String path = SPARK_CONF + ".\"" + key + "\"";
    if (!config.hasPath(path)) {
      return false;
    }
    String resource = config.getValue(path).origin().resource();
    return resource == null || !resource.equals("reference.conf");
  }

  public Config raw() {
    return config;
  }

  /** Returns settings with one more override on top of these. */
  public Settings with(String key, String value) {
    return new Settings(
        ConfigFactory.parseMap(Map.of(key, value), "override").withFallback(config).resolve());
  }
}
