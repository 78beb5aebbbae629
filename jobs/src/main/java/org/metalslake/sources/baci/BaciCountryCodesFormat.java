package org.metalslake.sources.baci;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.TradeCountryCodes;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * BACI's country-code file ({@code country_codes_V202201.csv}) as CEPII ships it (Latin-1, every
 * field quoted but the code: {@code country_code, country_name_abbreviation, country_name_full,
 * iso_2digit_alpha, iso_3digit_alpha}), or laid out like the bundled list ({@code country_code,
 * country_name, country_iso2, country_iso3}). When it lands with BACI data it is the authority for
 * its release's codes (the release is in its name, as in the data files'): its records become
 * {@code silver.trade_country_codes}, conformed before the run's trade records.
 */
public final class BaciCountryCodesFormat extends BasicFormat {
  public BaciCountryCodesFormat() {
    super(
        "baci-country-codes",
        "country_code,country_name_abbreviation,country_name_full,iso_2digit_alpha,"
            + "iso_3digit_alpha (CEPII) or country_code,country_name,country_iso2,country_iso3",
        Tables.BACI_COUNTRY_CODES_RAW,
        List.of(
            "country_code", "country_name", "country_name_full", "country_iso2", "country_iso3"));
  }

  @Override
  public Map<String, String> aliases() {
    return Map.of(
        "countrynameabbreviation", "country_name",
        "iso2digitalpha", "country_iso2",
        "iso3digitalpha", "country_iso3");
  }

  @Override
  public boolean matches(Header header) {
    return header.has("country_code")
        && (header.has("country_iso3") || header.has("iso_3digit_alpha"));
  }

  @Override
  public boolean reference() {
    return true;
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Map<String, Column> given = new HashMap<>();
    given.put("code", col("country_code"));
    given.put("name", col("country_name"));
    given.put("name_full", col("country_name_full"));
    given.put("iso3", col("country_iso3"));
    given.put("source", lit(BaciFormat.SOURCE));
    given.put("release", BaciFormat.release());
    return Map.of(Tables.TRADE_COUNTRY_CODES, TradeCountryCodes.conform(bronze, given, ref));
  }

  /** The release in a CEPII file name ({@code …_V202201.csv}, {@code …V202501a…}). */
  static Column releaseOf(Column path) {
    return regexp_extract(path, "(V[0-9]{6}[a-z]?)", 1);
  }
}
