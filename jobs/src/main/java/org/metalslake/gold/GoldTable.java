package org.metalslake.gold;

import java.util.List;
import java.util.function.BiFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * A gold table: the silver tables it reads and the pure transform that builds it. Gold is rebuilt
 * whole from silver in one Delta commit whenever one of its inputs changed, so it always equals the
 * transform of the current silver, whatever the order of past runs.
 */
public record GoldTable(
    TableId id, List<TableId> inputs, BiFunction<Lake, RefData, Dataset<Row>> build, TableDoc doc) {

  public static final List<GoldTable> ALL =
      List.of(
          new GoldTable(
              Tables.PRODUCTION_GROWTH,
              List.of(Tables.PRODUCTION),
              (lake, ref) -> ProductionGrowth.compute(lake.readCached(Tables.PRODUCTION)),
              ProductionGrowth.DOC),
          new GoldTable(
              Tables.GROUP_OUTPUT,
              List.of(Tables.PRODUCTION),
              (lake, ref) -> GroupOutput.compute(lake.readCached(Tables.PRODUCTION), ref.groups()),
              GroupOutput.DOC));
}
