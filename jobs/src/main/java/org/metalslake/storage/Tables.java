package org.metalslake.storage;

/** The table names consumers rely on (SPEC §4). Renaming one is a breaking change. */
public final class Tables {
  private Tables() {}

  public static final TableId PRODUCTION_RAW = new TableId(TableId.BRONZE, "production_raw");
  public static final TableId TRADE_RAW = new TableId(TableId.BRONZE, "trade_raw");
  public static final TableId CAPACITY_RAW = new TableId(TableId.BRONZE, "capacity_raw");
  public static final TableId PRICES_RAW = new TableId(TableId.BRONZE, "prices_raw");
  public static final TableId STOCKS_RAW = new TableId(TableId.BRONZE, "stocks_raw");
  // One bronze table per source format: the generic formats keep the dataset names above, the
  // publishers' formats have tables of their own (flat string columns as each publisher names
  // them).
  public static final TableId COMTRADE_RAW = new TableId(TableId.BRONZE, "comtrade_raw");
  public static final TableId BACI_RAW = new TableId(TableId.BRONZE, "baci_raw");
  public static final TableId BACI_COUNTRY_CODES_RAW =
      new TableId(TableId.BRONZE, "baci_country_codes_raw");
  public static final TableId USGS_SALIENT_RAW = new TableId(TableId.BRONZE, "usgs_salient_raw");
  public static final TableId USGS_WORLD_RAW = new TableId(TableId.BRONZE, "usgs_world_raw");
  public static final TableId USGS_COMMODITIES_RAW =
      new TableId(TableId.BRONZE, "usgs_commodities_raw");
  public static final TableId USGS_CRITICAL_MINERALS_RAW =
      new TableId(TableId.BRONZE, "usgs_critical_minerals_raw");
  public static final TableId USGS_IMPORT_RELIANCE_RAW =
      new TableId(TableId.BRONZE, "usgs_import_reliance_raw");
  public static final TableId BUREAU_MONTHLY_RAW =
      new TableId(TableId.BRONZE, "bureau_monthly_raw");
  public static final TableId FX_RATES_RAW = new TableId(TableId.BRONZE, "fx_rates_raw");
  public static final TableId WORLDBANK_PINKSHEET_RAW =
      new TableId(TableId.BRONZE, "worldbank_pinksheet_raw");
  public static final TableId FRED_RAW = new TableId(TableId.BRONZE, "fred_raw");

  public static final TableId PRODUCTION = new TableId(TableId.SILVER, "production");
  public static final TableId TRADE_FLOWS = new TableId(TableId.SILVER, "trade_flows");
  public static final TableId STOCKS = new TableId(TableId.SILVER, "stocks");
  public static final TableId PUBLISHED_BALANCE = new TableId(TableId.SILVER, "published_balance");
  public static final TableId CAPACITY = new TableId(TableId.SILVER, "capacity");
  public static final TableId COUNTRY_CAPACITY = new TableId(TableId.SILVER, "country_capacity");
  public static final TableId VINTAGES = new TableId(TableId.SILVER, "vintages");

  /**
   * Silver tables created partitioned by their {@code year} column (the year their period starts
   * with): the long monthly histories, where a month is added to years of trade flows. A batch's
   * merge matches only the years it brings, and gold by years reads only its years' partitions. A
   * table created before this layout keeps its own (the merge still names the years: the same rows,
   * without the pruning).
   */
  public static final java.util.Set<TableId> BY_YEAR = java.util.Set.of(TRADE_FLOWS);

  public static final TableId PRICES = new TableId(TableId.SILVER, "prices");
  public static final TableId FX_RATES = new TableId(TableId.SILVER, "fx_rates");
  public static final TableId TRADE_COUNTRY_CODES =
      new TableId(TableId.SILVER, "trade_country_codes");

  public static final TableId COUNTRIES = new TableId(TableId.REF, "countries");
  public static final TableId COUNTRY_ALIASES = new TableId(TableId.REF, "country_aliases");
  public static final TableId METALS = new TableId(TableId.REF, "metals");
  public static final TableId METAL_GROUPS = new TableId(TableId.REF, "metal_groups");
  public static final TableId STAGES = new TableId(TableId.REF, "stages");
  public static final TableId UNITS = new TableId(TableId.REF, "units");
  public static final TableId USGS_WORLD_TYPES = new TableId(TableId.REF, "usgs_world_types");
  public static final TableId HS_COMMODITIES = new TableId(TableId.REF, "hs_commodities");

  public static final TableId PRODUCTION_GROWTH = new TableId(TableId.GOLD, "production_growth");
  public static final TableId GROUP_OUTPUT = new TableId(TableId.GOLD, "group_output");
  public static final TableId TRADE_GROWTH = new TableId(TableId.GOLD, "trade_growth");
  public static final TableId SUPPLY_BALANCE = new TableId(TableId.GOLD, "supply_balance");
  public static final TableId IMPORT_SOURCES = new TableId(TableId.GOLD, "import_sources");
  public static final TableId CAPACITY_UTILISATION =
      new TableId(TableId.GOLD, "capacity_utilisation");
  public static final TableId SUPPLY_CONCENTRATION =
      new TableId(TableId.GOLD, "supply_concentration");
  public static final TableId PRICE_TRENDS = new TableId(TableId.GOLD, "price_trends");

  public static final TableId RUNS = new TableId(TableId.OPS, "runs");
  public static final TableId QUARANTINE = new TableId(TableId.OPS, "quarantine");
  public static final TableId INGESTED_FILES = new TableId(TableId.OPS, "ingested_files");
  public static final TableId REJECTED_FILES = new TableId(TableId.OPS, "rejected_files");
}
