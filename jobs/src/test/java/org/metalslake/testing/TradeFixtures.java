package org.metalslake.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.pipeline.Pipeline;
import org.metalslake.ref.RefData;
import org.metalslake.sources.SourceFormat;
import org.metalslake.storage.TableId;

/**
 * Fixture reference files for trade tests, with round content factors so that expected metal
 * content can be worked out by hand without the bundled factors, and a helper that reads a file the
 * pipeline's way (scan, header, format, bronze, the format's conform: {@link
 * Pipeline#conformFiles}).
 */
public final class TradeFixtures {
  private TradeFixtures() {}

  /** Copper ores and concentrates (HS 2603): 25 % copper. */
  public static final double F_2603 = 0.25;

  /** Copper cathodes (HS 740311): pure copper. */
  public static final double F_740311 = 1.0;

  /**
   * Heading 7403 (refined copper and copper alloys), used for its subheadings without a row of
   * their own, e.g. 740321 copper-zinc alloys.
   */
  public static final double F_7403 = 0.8;

  /** Copper waste and scrap (HS 7404). */
  public static final double F_7404 = 0.9;

  /** Cobalt ores and concentrates (HS 2605). */
  public static final double F_2605 = 0.1;

  /** Cobalt mattes and other intermediates (HS 810520). */
  public static final double F_810520 = 0.5;

  static final String HS_COMMODITIES =
      String.join(
          "\n",
          "hs_code,description,metal,stage,content_factor,factor_source,valid_from,valid_to",
          "2603,Copper ores and concentrates,CU,mine," + F_2603 + ",test fixture,,",
          "7403,Refined copper and copper alloys unwrought,CU,refinery,"
              + F_7403
              + ",test fixture,,",
          "740311,Copper cathodes,CU,refinery," + F_740311 + ",test fixture,,",
          "7404,Copper waste and scrap,CU,scrap," + F_7404 + ",test fixture,,",
          "2605,Cobalt ores and concentrates,CO,mine," + F_2605 + ",test fixture,,",
          "810520,Cobalt mattes and intermediates,CO,intermediate," + F_810520 + ",test fixture,,",
          "");

  /** Ores (26), copper (74) and other base metals (81) are in scope; nothing else is. */
  static final String HS_SCOPE =
      String.join("\n", "prefix,note", "26,ores", "74,copper", "81,other base metals", "");

  /** BACI-style numeric country codes (842 is the United States in Comtrade and BACI). */
  static final String BACI_COUNTRY_CODES =
      String.join(
          "\n",
          "country_code,country_name,country_iso2,country_iso3",
          "36,Australia,AU,AUS",
          "124,Canada,CA,CAN",
          "152,Chile,CL,CHL",
          "156,China,CN,CHN",
          "276,Germany,DE,DEU",
          "392,Japan,JP,JPN",
          "604,Peru,PE,PER",
          "842,USA,US,USA",
          "");

  /**
   * Writes the fixture hs_commodities.csv, hs_scope.csv and baci_country_codes.csv to {@code dir}
   * and loads the reference data with them (the other files are the bundled ones).
   */
  public static RefData ref(SparkSession spark, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("hs_commodities.csv"), HS_COMMODITIES, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("hs_scope.csv"), HS_SCOPE, StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve("baci_country_codes.csv"), BACI_COUNTRY_CODES, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RefData.load(spark, dir.toString());
  }

  /** Writes {@code lines} (the header first) as a UTF-8 file with LF line ends. */
  public static Path write(Path dir, String folder, String name, List<String> lines) {
    try {
      Path d = Files.createDirectories(dir.resolve(folder));
      Path f = d.resolve(name);
      Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Pipeline.Conformed read(SparkSession spark, Path file, RefData ref) {
    Pipeline.Conformed c =
        Pipeline.conformFiles(
            spark, SparkTest.testSettings(java.util.Map.of()), List.of(file.toString()), ref);
    assertEquals(1, c.files().size(), "one file read: " + c.rejected());
    return c;
  }

  /** The format the pipeline recognises for the file. */
  public static SourceFormat detect(SparkSession spark, Path file) {
    return read(spark, file, RefData.load(spark, "")).files().get(0).format();
  }

  /**
   * Reads a file through the pipeline's own steps; returns the conformed rows for {@code table}.
   */
  public static Dataset<Row> ingest(SparkSession spark, Path file, RefData ref, TableId table) {
    return read(spark, file, ref).facts().get(table);
  }
}
