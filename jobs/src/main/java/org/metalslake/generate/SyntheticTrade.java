package org.metalslake.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.ref.RefData;

/**
 * Synthetic monthly trade shaped like a UN Comtrade+ bulk file ({@link #COLUMNS}), at realistic
 * cardinalities: every country of kind {@code country} with an M49 code (about 250) as reporter and
 * partner × the 6-digit codes of {@code hs_commodities.csv} that are valid in all HS vintages
 * (about 75) × {@link #MONTHS} months (2019-01 … 2024-12). Each row is a deterministic function of
 * its index and the seed, with no UDFs.
 *
 * <p>Rows come in series of consecutive months for one (reporter, partner, flow, HS code); a
 * multiplicative permutation spreads the series over all reporters, partners and codes, so that
 * even a small N covers a realistic spread. Among the total rows (motCode 0, customsCode C00,
 * partner2Code 0) the key (reporter, partner, flow, cmdCode, period) is unique up to about 130 M
 * rows: there are only 2 × 250 × 75 World series, and they repeat beyond that (partner series last
 * to about 650 M rows). Conventions:
 *
 * <ul>
 *   <li>Codes as in Comtrade+: reporterCode/partnerCode are the M49 code, except 842 United States,
 *       251 France, 579 Norway, 699 India, 757 Switzerland and 490 {@code Other Asia, nes} (ISO
 *       {@code S19}) for Taiwan; cmdCode is 6 digits; classificationCode H5 before 2022, H6 after.
 *   <li>Flows: M and X, with about 1 % of the import series written as RM and 2 % of the export
 *       series as RX. primaryValue (USD) is CIF for imports (also in cifvalue) and FOB for exports
 *       (also in fobvalue). netWgt and qty are in kg (qtyUnitCode 8, {@code kg}); grossWgt is given
 *       (netWgt + 2 %) for a third of the reporters and empty otherwise. Unit values follow the
 *       code's metal, content factor and stage, roughly.
 * </ul>
 *
 * <p>The noise that a consumer must handle:
 *
 * <ul>
 *   <li>About 2 % of the rows have partner 0, {@code W00}, {@code World} (every 50th series). They
 *       are independent series, not sums of the partner rows.
 *   <li>About 5 % are not totals: motCode 1000/2100/3200, or customsCode C01/C03, or a partner2Code
 *       other than 0. Each has the key of the total row just before it (same series, previous
 *       month) and 20–90 % of its values, so it must be excluded, not added.
 *   <li>About 1 % of the total rows have an empty netWgt and qty 0: a missing weight, not zero.
 *   <li>0.1 % are deliberately bad and must end in quarantine: half have an HS code that does not
 *       exist inside a heading in scope (740390, 750290 or 760190), half an unknown reporter (999,
 *       {@code ZZZ}).
 * </ul>
 */
public final class SyntheticTrade {
  private SyntheticTrade() {}

  /** Monthly periods 2019-01 … 2024-12: three years of H5 and three of H6. */
  public static final int MONTHS = 72;

  public static final int FIRST_YEAR = 2019;

  public static final List<String> COLUMNS =
      List.of(
          "typeCode",
          "freqCode",
          "refPeriodId",
          "refYear",
          "refMonth",
          "period",
          "reporterCode",
          "reporterISO",
          "reporterDesc",
          "flowCode",
          "flowDesc",
          "partnerCode",
          "partnerISO",
          "partnerDesc",
          "partner2Code",
          "partner2ISO",
          "partner2Desc",
          "classificationCode",
          "cmdCode",
          "cmdDesc",
          "aggrLevel",
          "isLeaf",
          "customsCode",
          "mosCode",
          "motCode",
          "qtyUnitCode",
          "qtyUnitAbbr",
          "qty",
          "netWgt",
          "grossWgt",
          "cifvalue",
          "fobvalue",
          "primaryValue",
          "isReported",
          "isAggregate");

  /** Comtrade's numeric codes where they differ from M49 (keyed by ISO3). */
  static final Map<String, Integer> COMTRADE_CODES =
      Map.of("USA", 842, "FRA", 251, "NOR", 579, "IND", 699, "CHE", 757, "TWN", 490);

  /** Rough prices in USD per tonne of metal content. */
  static final Map<String, Double> METAL_PRICE =
      Map.ofEntries(
          Map.entry("CU", 8_500.0),
          Map.entry("AL", 2_300.0),
          Map.entry("PB", 2_100.0),
          Map.entry("ZN", 2_700.0),
          Map.entry("NI", 18_000.0),
          Map.entry("SN", 25_000.0),
          Map.entry("SB", 12_000.0),
          Map.entry("HG", 58_000.0),
          Map.entry("MG", 3_000.0),
          Map.entry("TI", 9_000.0),
          Map.entry("CO", 33_000.0),
          Map.entry("LI", 90_000.0),
          Map.entry("TA", 330_000.0),
          Map.entry("NB", 45_000.0),
          Map.entry("W", 40_000.0),
          Map.entry("MO", 45_000.0),
          Map.entry("BI", 8_000.0),
          Map.entry("CD", 3_000.0),
          Map.entry("V", 25_000.0),
          Map.entry("ZR", 30_000.0));

  /** Share of the metal price that a tonne of content fetches at each stage, roughly. */
  static double stageFactor(String metal, String stage) {
    return switch (stage) {
      case "mine" ->
          metal.equals("AL") || metal.equals("TI") ? 0.1 : metal.equals("ZR") ? 0.14 : 0.6;
      case "intermediate" -> 0.8;
      case "smelter" -> 0.95;
      case "alumina" -> 0.3;
      case "scrap" -> 0.85;
      case "chemical" -> 1.1;
      case "semis" -> 1.3;
      default -> 1.0;
    };
  }

  private static final long MULTIPLIER = 1_000_003L;
  private static final String[] BAD_CODES = {"740390", "750290", "760190"};

  public static Dataset<Row> generate(
      SparkSession spark, RefData ref, String refDir, long rows, long seed) {
    List<Row> countries =
        ref.countries()
            // Countries of today: the former ones (until) trade only in old data.
            .filter(
                col("kind")
                    .equalTo("country")
                    .and(col("m49").isNotNull())
                    .and(col("until").isNull()))
            .orderBy("iso3")
            .collectAsList();
    int nc = countries.size();
    int[] codes = new int[nc];
    String[] isos = new String[nc];
    String[] names = new String[nc];
    for (int i = 0; i < nc; i++) {
      Row r = countries.get(i);
      String iso3 = r.getString(0);
      codes[i] = COMTRADE_CODES.getOrDefault(iso3, Integer.parseInt(r.getString(2)));
      isos[i] = iso3.equals("TWN") ? "S19" : iso3;
      names[i] = iso3.equals("TWN") ? "Other Asia, nes" : r.getString(3);
    }

    List<String> hsCodes = new ArrayList<>();
    List<String> hsDescs = new ArrayList<>();
    List<Double> hsPrices = new ArrayList<>();
    List<List<String>> hs = RefData.rows("hs_commodities.csv", refDir);
    List<String> header = hs.get(0).stream().map(String::trim).toList();
    for (List<String> f : hs.subList(1, hs.size())) {
      String code = f.get(header.indexOf("hs_code")).trim();
      boolean always =
          f.get(header.indexOf("valid_from")).isBlank()
              && f.get(header.indexOf("valid_to")).isBlank();
      if (code.length() != 6 || !always) {
        continue;
      }
      String metal = f.get(header.indexOf("metal")).trim();
      double content = Double.parseDouble(f.get(header.indexOf("content_factor")).trim());
      double perKg =
          content
              * METAL_PRICE.getOrDefault(metal, 10_000.0)
              / 1000
              * stageFactor(metal, f.get(header.indexOf("stage")).trim());
      hsCodes.add(code);
      hsDescs.add(f.get(header.indexOf("description")).trim());
      hsPrices.add(perKg);
    }
    int nh = hsCodes.size();
    if (nc < 2 || nh == 0) {
      throw new IllegalStateException("reference data has too few countries or HS codes");
    }
    long partnerSpace = (long) nc * (nc - 1) * nh;
    long worldSpace = (long) nc * nh;
    long a = MULTIPLIER;
    while (!coprime(a, partnerSpace) || !coprime(a, worldSpace)) {
      a += 2;
    }

    Column codeArr = lit(codes);
    Column isoArr = lit(isos);
    Column nameArr = lit(names);
    Column hsArr = lit(hsCodes.toArray(String[]::new));
    Column descArr = lit(hsDescs.toArray(String[]::new));
    Column priceArr = lit(hsPrices.stream().mapToDouble(Double::doubleValue).toArray());

    Column id = col("id");
    Column series = floor(id.divide(MONTHS));
    Column month = pmod(id, lit(MONTHS));
    // Every 50th series is a World series; the others are partner series. Both index spaces are
    // dense, so the permutation below keeps keys unique within each.
    Column isWorld = pmod(series, lit(50)).equalTo(49);
    Column block = floor(series.divide(50));
    Column index = when(isWorld, block).otherwise(block.multiply(49).plus(pmod(series, lit(50))));
    Column pair = floor(index.divide(2));
    Column exportSlot = pmod(index, lit(2)).equalTo(1);
    Column perm =
        pmod(pair.multiply(lit(a)), when(isWorld, lit(worldSpace)).otherwise(partnerSpace));
    Column r = pmod(perm, lit(nc));
    Column rest = floor(perm.divide(nc));
    Column p = pmod(r.plus(1).plus(pmod(rest, lit(nc - 1))), lit(nc));
    Column c = when(isWorld, rest).otherwise(floor(rest.divide(nc - 1)));
    Column flowHash = pmod(xxhash64(pair, isWorld, lit(seed), lit("flow")), lit(100));
    Column flow =
        when(exportSlot, when(flowHash.lt(2), lit("RX")).otherwise(lit("X")))
            .otherwise(when(flowHash.equalTo(99), lit("RM")).otherwise(lit("M")));

    // Row kinds: non-total rows repeat the key of the total row before them.
    Column nonTotal =
        select(id, seed, 11, 53)
            .and(month.gt(0))
            .and(not(select(id.minus(1), seed, 11, 53)))
            .and(not(select(id.minus(1), seed, 13, 1)));
    Column bad = not(nonTotal).and(select(id, seed, 13, 1));
    Column badHs = pmod(xxhash64(id, lit(seed), lit("bad")), lit(2)).equalTo(0);
    Column missing = not(nonTotal).and(not(bad)).and(select(id, seed, 17, 10));
    Column variant = pmod(xxhash64(id, lit(seed), lit("variant")), lit(3));
    Column share = pmod(xxhash64(id, lit(seed), lit("share")), lit(700)).plus(200).divide(1000.0);

    Column em = when(nonTotal, month.minus(1)).otherwise(month);
    Column year = floor(em.divide(12)).plus(FIRST_YEAR).cast("int");
    Column mon = pmod(em, lit(12)).plus(1).cast("int");

    Column u = pmod(xxhash64(series, lit(seed), lit("level")), lit(1_000_000)).divide(1e6);
    Column level =
        when(isWorld, pow(lit(10.0), u.multiply(4).plus(4.5)))
            .otherwise(pow(lit(10.0), u.multiply(4.5).plus(3)));
    Column noise = pmod(xxhash64(series, em, lit(seed), lit("noise")), lit(1000)).divide(1000.0);
    Column seasonal = sin(em.multiply(0.5236).plus(u.multiply(6.28))).multiply(0.15).plus(1);
    Column baseKg = level.multiply(seasonal).multiply(noise.multiply(0.3).plus(0.85));
    Column kg = round(when(nonTotal, baseKg.multiply(share)).otherwise(baseKg)).cast("long");
    Column unitValue =
        element_at(priceArr, c.plus(1).cast("int"))
            .multiply(
                pmod(xxhash64(series, em, lit(seed), lit("price")), lit(1000))
                    .divide(5000.0)
                    .plus(0.9));
    Column value = kg.multiply(unitValue).cast("decimal(20,2)");
    Column imports = flow.isin("M", "RM");

    Column partnerCode =
        when(isWorld, lit(0)).otherwise(element_at(codeArr, p.plus(1).cast("int")));
    Column partner2 = pmod(r.plus(7), lit(nc)).plus(1).cast("int");
    return spark
        .range(rows)
        .select(
            lit("C").as("typeCode"),
            lit("M").as("freqCode"),
            year.multiply(10_000).plus(mon.multiply(100)).plus(1).as("refPeriodId"),
            year.as("refYear"),
            mon.as("refMonth"),
            format_string("%d%02d", year, mon).as("period"),
            when(bad.and(not(badHs)), lit(999))
                .otherwise(element_at(codeArr, r.plus(1).cast("int")))
                .as("reporterCode"),
            when(bad.and(not(badHs)), lit("ZZZ"))
                .otherwise(element_at(isoArr, r.plus(1).cast("int")))
                .as("reporterISO"),
            when(bad.and(not(badHs)), lit("Unknown"))
                .otherwise(element_at(nameArr, r.plus(1).cast("int")))
                .as("reporterDesc"),
            flow.as("flowCode"),
            when(flow.equalTo("M"), lit("Import"))
                .when(flow.equalTo("X"), lit("Export"))
                .when(flow.equalTo("RM"), lit("Re-import"))
                .otherwise(lit("Re-export"))
                .as("flowDesc"),
            partnerCode.as("partnerCode"),
            when(isWorld, lit("W00"))
                .otherwise(element_at(isoArr, p.plus(1).cast("int")))
                .as("partnerISO"),
            when(isWorld, lit("World"))
                .otherwise(element_at(nameArr, p.plus(1).cast("int")))
                .as("partnerDesc"),
            when(nonTotal.and(variant.equalTo(2)), element_at(codeArr, partner2))
                .otherwise(lit(0))
                .as("partner2Code"),
            when(nonTotal.and(variant.equalTo(2)), element_at(isoArr, partner2))
                .otherwise(lit("W00"))
                .as("partner2ISO"),
            when(nonTotal.and(variant.equalTo(2)), element_at(nameArr, partner2))
                .otherwise(lit("World"))
                .as("partner2Desc"),
            when(year.lt(2022), lit("H5")).otherwise(lit("H6")).as("classificationCode"),
            when(
                    bad.and(badHs),
                    element_at(
                        lit(BAD_CODES),
                        pmod(xxhash64(id, lit(seed), lit("code")), lit(BAD_CODES.length))
                            .plus(1)
                            .cast("int")))
                .otherwise(element_at(hsArr, c.plus(1).cast("int")))
                .as("cmdCode"),
            when(bad.and(badHs), lit("Unknown code"))
                .otherwise(element_at(descArr, c.plus(1).cast("int")))
                .as("cmdDesc"),
            lit(6).as("aggrLevel"),
            lit("True").as("isLeaf"),
            when(
                    nonTotal.and(variant.equalTo(1)),
                    when(pmod(id, lit(2)).equalTo(0), lit("C01")).otherwise(lit("C03")))
                .otherwise(lit("C00"))
                .as("customsCode"),
            lit(0).as("mosCode"),
            when(
                    nonTotal.and(variant.equalTo(0)),
                    element_at(
                        lit(new int[] {1000, 2100, 3200}), pmod(id, lit(3)).plus(1).cast("int")))
                .otherwise(lit(0))
                .as("motCode"),
            lit(8).as("qtyUnitCode"),
            lit("kg").as("qtyUnitAbbr"),
            when(missing, lit(0L)).otherwise(kg).as("qty"),
            when(missing, lit(null).cast("long")).otherwise(kg).as("netWgt"),
            when(missing.or(pmod(r, lit(3)).notEqual(0)), lit(null).cast("long"))
                .otherwise(round(kg.multiply(1.02)).cast("long"))
                .as("grossWgt"),
            when(imports, value).otherwise(lit(null).cast("decimal(20,2)")).as("cifvalue"),
            when(imports, lit(null).cast("decimal(20,2)")).otherwise(value).as("fobvalue"),
            value.as("primaryValue"),
            lit("True").as("isReported"),
            lit("False").as("isAggregate"));
  }

  /** True for about {@code perMille}/1000 of the row indexes, independently per {@code salt}. */
  private static Column select(Column id, long seed, int salt, int perMille) {
    return pmod(xxhash64(id, lit(seed), lit(salt)), lit(1000)).lt(perMille);
  }

  private static boolean coprime(long a, long b) {
    return BigInteger.valueOf(a).gcd(BigInteger.valueOf(b)).equals(BigInteger.ONE);
  }
}
