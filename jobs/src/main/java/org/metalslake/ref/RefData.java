package org.metalslake.ref;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reference data (countries, metals, stages, units, groups, source mappings): versioned CSV files
 * bundled with the application, each of which a user may override with a file of the same name in
 * {@code ref.dir}. Lookups are broadcast joins on normalised names.
 *
 * <p>Each dimension reads, checks and looks up its own files ({@link Countries}, {@link CodeList}
 * for metals and stages, {@link Units}, {@link MetalGroups}, {@link UsgsCommodities}, {@link
 * HsCodes}, {@link TradeCountries}, {@link UsgsCommodityFiles}, {@link PriceSeriesMapping}); this
 * class loads them all and is what the jobs use.
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

  private final RefSource source;
  private final Countries countries;
  private final CodeList metals;
  private final CodeList stages;
  private final Units units;
  private final MetalGroups groups;
  private final UsgsCommodities usgs;
  private final HsCodes hs;
  private final TradeCountries tradeCountries;
  private final UsgsCommodityFiles usgsFiles;
  private final PriceSeriesMapping priceSeries;
  private final QuantityCeilings ceilings;

  /**
   * Reads and checks every dimension; the order decides which of several broken files is reported.
   */
  private RefData(RefSource source) {
    this.source = source;
    countries = new Countries(source);
    metals = CodeList.metals(source);
    stages = CodeList.stages(source);
    units = new Units(source);
    groups = new MetalGroups(source);
    usgs = new UsgsCommodities(source);
    hs = new HsCodes(source, Map.of());
    tradeCountries = new TradeCountries(source, countries);
    usgsFiles = new UsgsCommodityFiles(source);
    priceSeries = new PriceSeriesMapping(source);
    ceilings = QuantityCeilings.DEFAULT;
  }

  /** {@code base} with other HS codes, trade country codes and quantity ceilings. */
  private RefData(
      RefData base, HsCodes hs, TradeCountries tradeCountries, QuantityCeilings ceilings) {
    source = base.source;
    countries = base.countries;
    metals = base.metals;
    stages = base.stages;
    units = base.units;
    groups = base.groups;
    usgs = base.usgs;
    this.hs = hs;
    this.tradeCountries = tradeCountries;
    usgsFiles = base.usgsFiles;
    priceSeries = base.priceSeries;
    this.ceilings = ceilings;
  }

  /** Loads the bundled reference files, with files in {@code overrideDir} taking precedence. */
  public static RefData load(SparkSession spark, String overrideDir) {
    return new RefData(RefSource.load(spark, FILES, overrideDir));
  }

  /**
   * The records of reference file {@code name}, header first: the file of that name in {@code
   * overrideDir} if there is one, else the bundled copy. Read like every input file (any delimiter,
   * UTF-8 or Windows-1252, so a code list saved by a spreadsheet or shipped in Latin-1 reads as it
   * is).
   */
  public static List<List<String>> rows(String name, String overrideDir) {
    return RefSource.rows(name, overrideDir);
  }

  // ---------------------------------------------------------------- lookups (pure transforms)

  /**
   * Adds {@code <out>} (ISO3 or pseudo-code such as WLD) and {@code <out>_kind} for the country
   * name or code in {@code nameCol}: exact name first, then without footnote digits, then without a
   * trailing qualifier in parentheses.
   */
  public Dataset<Row> withCountry(Dataset<Row> df, String nameCol, String out) {
    return countries.withCountry(df, nameCol, out);
  }

  public Dataset<Row> withMetal(Dataset<Row> df, String nameCol, String out) {
    return metals.withCode(df, nameCol, out);
  }

  public Dataset<Row> withStage(Dataset<Row> df, String nameCol, String out) {
    return stages.withCode(df, nameCol, out);
  }

  /** Adds {@code <out>} (unit code) and {@code <out>_factor} (tonnes per unit). */
  public Dataset<Row> withUnit(Dataset<Row> df, String nameCol, String out) {
    return units.withUnit(df, nameCol, out);
  }

  /** Adds metal, stage and basis for a USGS world-data (commodity, type) pair. */
  public Dataset<Row> withUsgsWorldType(Dataset<Row> df, String commodityCol, String typeCol) {
    return usgs.withWorldType(df, commodityCol, typeCol);
  }

  /**
   * Adds {@code pub_metal}, {@code pub_nir_stage}, {@code pub_production_stage} and {@code
   * pub_basis} for a commodity named as USGS writes it in its published tables (Fig2, the
   * critical-minerals tables: {@code "COPPER, refined"}, {@code Tin }); null for a name the mapping
   * (usgs_published_commodities.csv) lacks. Names match ignoring case and blanks.
   */
  public Dataset<Row> withUsgsPublishedCommodity(Dataset<Row> df, String nameCol) {
    return usgs.withPublishedCommodity(df, nameCol);
  }

  /**
   * A copy of this reference data with metal-content factors replaced for some HS codes (from the
   * configuration's {@code trade.content-factors}).
   */
  public RefData withContentFactors(Map<String, Double> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    return new RefData(this, hs.withContentFactors(overrides), tradeCountries, ceilings);
  }

  /**
   * A copy of this reference data with other plausibility ceilings for quantities in metric tonnes
   * (the configuration's {@code ingest.max-quantity-t}, and {@code ingest.max-quantity-t-by-metal}
   * keyed by metal code or name); a metal metals.csv lacks is an error naming the key.
   */
  public RefData withQuantityCeilings(double defaultT, Map<String, Double> byMetal) {
    return new RefData(
        this, hs, tradeCountries, QuantityCeilings.of(defaultT, byMetal, metals::code));
  }

  /**
   * The largest plausible quantity in tonnes per metal; {@link QuantityCeilings#DEFAULT_T} for
   * every metal unless {@link #withQuantityCeilings} set others.
   */
  public QuantityCeilings quantityCeilings() {
    return ceilings;
  }

  /**
   * A copy of this reference data that resolves the numeric country codes of a trade release with
   * that release's own code list first ({@code silver.trade_country_codes}: source, release, code,
   * iso3, kind), the bundled lists after.
   */
  public RefData withReleaseTradeCodes(Dataset<Row> codes) {
    return new RefData(this, hs, tradeCountries.withReleaseCodes(codes), ceilings);
  }

  /**
   * Adds {@code <out>_metal}, {@code <out>_stage}, {@code <out>_factor} for the HS code (digits) in
   * {@code codeCol}: a 6-digit code by its own row, else by its heading's 4-digit row in
   * hs_commodities.csv (the rest of a heading); a 4-digit code by its heading ({@code
   * ref.hs_headings}).
   */
  public Dataset<Row> withHsCommodity(Dataset<Row> df, String codeCol, String out) {
    return hs.withCommodity(df, codeCol, out);
  }

  /** True when the HS code (digits) lies in the chapters this product covers (ref.hs_scope). */
  public Column hsInScope(Column code) {
    return hs.inScope(code);
  }

  /**
   * Adds {@code <out>} (ISO3, WLD or XOC) and {@code <out>_kind} for a numeric trade country code
   * (UN Comtrade and CEPII BACI codes: mostly M49, with their own codes for a few countries and for
   * areas not elsewhere specified).
   */
  public Dataset<Row> withTradeCountryCode(Dataset<Row> df, String codeCol, String out) {
    return tradeCountries.withCode(df, codeCol, out);
  }

  /**
   * As {@link #withTradeCountryCode(Dataset, String, String)}, the code list of the record's own
   * release first (when one came with the data: {@link #withReleaseTradeCodes}).
   */
  public Dataset<Row> withTradeCountryCode(
      Dataset<Row> df, String codeCol, Column source, Column release, String out) {
    return tradeCountries.withCode(df, codeCol, source, release, out);
  }

  /**
   * How USGS names a commodity in files without a commodity column, one map per row of
   * usgs_commodities.csv: {@code commodity}, {@code file_stems} and {@code type_words} (each a
   * {@code |} list).
   */
  public List<Map<String, String>> usgsCommodities() {
    return usgsFiles.commodities();
  }

  /** The USGS salient column mapping, one map per row of usgs_salient_columns.csv. */
  public List<Map<String, String>> salientColumns() {
    return usgsFiles.salientColumns();
  }

  /**
   * The price series mapping, one map per row of price_series.csv: a source's series id (a Pink
   * Sheet code, a FRED series id) to metal, market, series, currency, unit, the unit as the source
   * writes it and the frequency.
   */
  public List<Map<String, String>> priceSeries() {
    return priceSeries.series();
  }

  public Dataset<Row> hsCommodities() {
    return hs.commodities();
  }

  // ---------------------------------------------------------------- tables

  /** The ref.* tables ({@link #tables}), by name. */
  public static final List<String> TABLES =
      List.of(
          "countries",
          "country_aliases",
          "metals",
          "metal_groups",
          "stages",
          "units",
          "usgs_world_types",
          "usgs_published_commodities",
          "hs_commodities",
          "hs_headings",
          "trade_country_codes",
          "usgs_salient_columns",
          "price_series");

  /** A digest of the reference files behind a ref.* table, to skip rewriting unchanged ones. */
  public String fingerprint(String table) {
    return source.fingerprint(table, sourcesOf(table), hs.factorOverrides());
  }

  /**
   * The {@link #fingerprint} of every ref.* table, read from the files alone (no session, nothing
   * checked or built): what a run compares with the lake before it loads the data.
   */
  public static Map<String, String> fingerprints(
      org.apache.hadoop.conf.Configuration hadoop,
      String overrideDir,
      Map<String, Double> contentFactors) {
    RefSource files = RefSource.load(null, hadoop, FILES, overrideDir);
    Map<String, Double> overrides = HsCodes.normalised(contentFactors);
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : TABLES) {
      out.put(table, files.fingerprint(table, sourcesOf(table), overrides));
    }
    return out;
  }

  private static List<String> sourcesOf(String table) {
    return switch (table) {
      case "countries", "country_aliases" -> List.of("countries.csv");
      case "hs_headings" -> List.of("hs_commodities.csv", "hs_headings.csv");
      case "trade_country_codes" ->
          List.of("baci_country_codes.csv", "trade_areas.csv", "countries.csv");
      default -> List.of(table + ".csv");
    };
  }

  /** The ref.* tables as they are written to the lake. */
  public Map<String, Dataset<Row>> tables() {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    out.put("countries", countries.table());
    out.put("country_aliases", countries.aliasTable());
    out.put("metals", metals.table());
    out.put("metal_groups", groups.table());
    out.put("stages", stages.table());
    out.put("units", units.table());
    out.put("usgs_world_types", usgs.worldTypeTable());
    out.put("usgs_published_commodities", usgs.publishedTable());
    out.put("hs_commodities", hs.commodities());
    out.put("hs_headings", hs.headings());
    out.put("trade_country_codes", tradeCountries.table());
    out.put("usgs_salient_columns", usgsFiles.salientTable());
    out.put("price_series", priceSeries.table());
    return out;
  }

  public Dataset<Row> groups() {
    return groups.table();
  }

  public Dataset<Row> countries() {
    return countries.table();
  }
}
