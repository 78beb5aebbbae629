package org.metalslake.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;

/**
 * Reference data: the versioned CSVs loaded for the run, and the ref.* tables (for readers of the
 * lake) written where their content differs from what the lake holds. The run itself uses the CSVs
 * just loaded, so the tables can be written in the background, beside bronze and silver.
 */
final class RefStage extends Stage implements AutoCloseable {
  private final RefData data;
  private CompletableFuture<Integer> written;

  RefStage(StageContext stage) {
    super(stage);
    progress.start("ref", "loading reference data");
    this.data =
        RefData.load(spark, settings.refDir()).withContentFactors(settings.contentFactors());
  }

  RefData data() {
    return data;
  }

  /** Writes the changed ref.* tables now. */
  void write() {
    progress.done("ref", write(data) + " reference tables updated");
  }

  /** Starts writing them in the background; {@link #join} waits for them. */
  void writeInBackground() {
    written = Parallel.background(() -> write(data));
    progress.info("ref      reference tables written in the background");
  }

  void join() {
    int n = Parallel.join(written);
    written = null;
    progress.info("ref      " + n + " reference tables updated");
  }

  /** A failed run still lets the background writes end before it returns (they are idempotent). */
  @Override
  public void close() {
    if (written != null) {
      written.handle((x, e) -> null).join();
      written = null;
    }
  }

  /** Writes the ref.* tables whose content differs from what the lake holds, in parallel. */
  private int write(RefData ref) {
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (Map.Entry<String, Dataset<Row>> e : ref.tables().entrySet()) {
      tasks.add(
          () -> {
            TableId id = new TableId(TableId.REF, e.getKey());
            String fingerprint = "ref:" + ref.fingerprint(e.getKey());
            if (fingerprint.equals(lake.fingerprint(id))) {
              return false;
            }
            lake.writes()
                .replaceTagged(
                    e.getValue(),
                    id,
                    "Reference data: " + e.getKey() + " (versioned CSV under data/ref)",
                    fingerprint);
            return true;
          });
    }
    return (int) Parallel.all(tasks).stream().filter(b -> b).count();
  }
}
