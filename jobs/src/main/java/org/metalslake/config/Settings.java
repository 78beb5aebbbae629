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
  public static final String DATABASE_PREFIX = "lake.database-prefix";
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

  /** Objects of reference.conf whose keys are the user's own: any key under them is known. */
  static final List<String> OPEN_MAPS =
      List.of(
          "spark.conf.",
          "ingest.encodings.",
          "ingest.max-quantity-t-by-metal.",
          "trade.content-factors.");

  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger("org.metalslake.progress");

  private Settings(Config config) {
    this.config = config;
    validate();
    for (String key : unknownKeys()) {
      LOG.warn(unknownKeyWarning(key));
    }
  }

  /** One setting of the effective configuration: key, value as written, where it came from. */
  public record Entry(String key, String value, String origin) {}

  /**
   * Every setting in effect, sorted by key, with its origin (the embedded defaults, the file and
   * line, an environment variable, {@code --set}); values of secret-looking keys masked.
   */
  public List<Entry> effective() {
    java.util.Set<String> roots = REFERENCE.root().keySet();
    List<Entry> out = new java.util.ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      String key = e.getKey();
      ConfigValue v = e.getValue();
      if (!roots.contains(key.split("\\.", 2)[0]) && !given(v)) {
        continue; // a system property of the JVM, not a setting
      }
      String value = v.render(com.typesafe.config.ConfigRenderOptions.concise());
      if (SECRET_KEY.matcher(key).find()) {
        value = "\"***\"";
      }
      out.add(new Entry(key, value, origin(v.origin())));
    }
    out.sort(java.util.Comparator.comparing(Entry::key));
    return out;
  }

  private static String origin(com.typesafe.config.ConfigOrigin o) {
    if (o.resource() != null && o.resource().equals("reference.conf")) {
      return "default (reference.conf" + (o.lineNumber() > 0 ? ": " + o.lineNumber() : "") + ")";
    }
    if (o.filename() != null) {
      return o.filename() + (o.lineNumber() > 0 ? ": " + o.lineNumber() : "");
    }
    return o.description();
  }

  private static final java.util.regex.Pattern SECRET_KEY =
      java.util.regex.Pattern.compile(
          "(?i)secret|password|passwd|token|credential[^.]*$|access[._-]?key");

  /**
   * Keys given (in a file or with {@code --set}) that no setting reads: a misspelt key would
   * otherwise be silently ignored. Keys under {@link #OPEN_MAPS} are the user's own.
   */
  public List<String> unknownKeys() {
    List<String> out = new java.util.ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      String key = e.getKey();
      if (!given(e.getValue())
          || REFERENCE.hasPathOrNull(key)
          || OPEN_MAPS.stream().anyMatch(key::startsWith)) {
        continue;
      }
      out.add(key);
    }
    out.sort(null);
    return out;
  }

  /** The embedded defaults alone (reference.conf), without the JVM's system properties. */
  private static final Config REFERENCE =
      ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf");

  /** Whether a value was given by the user: in a file or with {@code --set}. */
  private static boolean given(ConfigValue v) {
    com.typesafe.config.ConfigOrigin o = v.origin();
    return o.filename() != null || o.description().startsWith("--set");
  }

  private static String unknownKeyWarning(String key) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (Map.Entry<String, ConfigValue> e : REFERENCE.entrySet()) {
      int d = distance(key, e.getKey());
      if (d < best) {
        best = d;
        nearest = e.getKey();
      }
    }
    return "unknown configuration key '"
        + key
        + "': no setting reads it, ignored"
        + (nearest != null && best <= Math.max(2, key.length() / 4)
            ? " (did you mean " + nearest + "?)"
            : "")
        + "; `metals-lake config` lists every setting";
  }

  /** Levenshtein distance, for suggesting the key a misspelt one meant. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
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

  /**
   * Prefix of the metastore's database names ({@code metals_} gives {@code metals_gold}, …), so a
   * shared metastore keeps this lake's layers apart from others' {@code bronze} or {@code gold}.
   */
  public String databasePrefix() {
    String p = config.getString(DATABASE_PREFIX);
    if (!p.matches("[a-z0-9_]*")) {
      throw new IllegalArgumentException(
          DATABASE_PREFIX + " '" + p + "': lower-case letters, digits and _ only");
    }
    return p;
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
