package org.metalslake.ref;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * USGS commodities as USGS names them, to metal and stage: the (commodity, type) pairs of its world
 * data (usgs_world_types.csv) and the commodity names of its published tables
 * (usgs_published_commodities.csv, each name once).
 */
final class UsgsCommodities {
  private static final String PUBLISHED = "usgs_published_commodities.csv";

  private final Dataset<Row> worldTypes;
  private final Dataset<Row> published;

  UsgsCommodities(RefSource source) {
    List<Row> worldRows = new ArrayList<>();
    for (Map<String, String> m : source.records("usgs_world_types.csv")) {
      worldRows.add(
          RowFactory.create(
              Keys.normalise(m.get("commodity")),
              Keys.normalise(m.get("type")),
              m.get("metal"),
              m.get("stage"),
              m.get("basis")));
    }
    worldTypes =
        source.frame(
            worldRows,
            "commodity_key STRING, type_key STRING, metal STRING, stage STRING, basis STRING");

    List<Row> publishedRows = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Map<String, String> m : source.records(PUBLISHED)) {
      String key = Keys.normalise(m.get("name"));
      if (!names.add(key)) {
        throw new IllegalArgumentException(
            "reference file "
                + PUBLISHED
                + ": name '"
                + m.get("name")
                + "' is listed twice (names match ignoring case and blanks)");
      }
      publishedRows.add(
          RowFactory.create(
              key,
              m.get("name"),
              m.get("metal"),
              m.get("nir_stage"),
              RefSource.emptyToNull(m.get("production_stage")),
              m.get("basis").isEmpty() ? "metal_content" : m.get("basis"),
              RefSource.emptyToNull(m.get("note"))));
    }
    published =
        source.frame(
            publishedRows,
            "name_key STRING, name STRING, metal STRING, nir_stage STRING,"
                + " production_stage STRING, basis STRING, note STRING");
  }

  /** ref.usgs_world_types: the normalised (commodity, type) pairs and what they are. */
  Dataset<Row> worldTypeTable() {
    return worldTypes.select(
        col("commodity_key").as("commodity"),
        col("type_key").as("type"),
        col("metal"),
        col("stage"),
        col("basis"));
  }

  /** ref.usgs_published_commodities. */
  Dataset<Row> publishedTable() {
    return published.select("name", "metal", "nir_stage", "production_stage", "basis", "note");
  }

  /** See {@link RefData#withUsgsWorldType(Dataset, String, String)}. */
  Dataset<Row> withWorldType(Dataset<Row> df, String commodityCol, String typeCol) {
    Dataset<Row> m = broadcast(worldTypes);
    return df.join(
            m,
            Keys.normalise(col(commodityCol))
                .equalTo(m.col("commodity_key"))
                .and(Keys.normalise(col(typeCol)).equalTo(m.col("type_key"))),
            "left")
        .drop("commodity_key", "type_key");
  }

  /** See {@link RefData#withUsgsPublishedCommodity(Dataset, String)}. */
  Dataset<Row> withPublishedCommodity(Dataset<Row> df, String nameCol) {
    return RefSource.lookup(
            df,
            Keys.normalise(col(nameCol)),
            published,
            "name_key",
            "__pck",
            "metal",
            "pub_metal",
            "nir_stage",
            "pub_nir_stage",
            "production_stage",
            "pub_production_stage",
            "basis",
            "pub_basis")
        .drop("__pck");
  }
}
