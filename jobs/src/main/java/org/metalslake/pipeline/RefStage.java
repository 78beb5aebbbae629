package org.metalslake.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;

/**
 * Reference data: the versioned CSVs loaded for the run, and the ref.* tables (for readers of the
 * lake) written where their content differs from what the lake holds. The run itself uses the CSVs
 * just loaded, so the tables can be written in the background, beside bronze and silver.
 */
final class RefStage extends Stage implements AutoCloseable {
  private RefData data;
  private CompletableFuture<Integer> written;

  RefStage(StageContext stage) {
    super(stage);
    progress.start("ref", "reference data");
  }

  /** The reference data, loaded (and checked) on first use. */
  synchronized RefData data() {
    if (data == null) {
      data =
          RefData.load(spark(), settings.refDir())
              .withContentFactors(settings.contentFactors())
              .withQuantityCeilings(settings.maxQuantityT(), settings.maxQuantityTByMetal());
    }
    return data;
  }

  /** Writes the changed ref.* tables now. */
  void write() {
    int n = writeChanged();
    progress.done("ref", n + " reference tables updated");
  }

  /** Starts writing them in the background; {@link #join} waits for them. */
  void writeInBackground() {
    written = Parallel.background(this::writeChanged);
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

  /**
   * Writes the ref.* tables whose content differs from what the lake holds, in parallel. The
   * fingerprints are compared first, from the files alone: when every table is current, the data is
   * not loaded for it (a run with nothing new needs no session).
   */
  private int writeChanged() {
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (Map.Entry<String, String> e :
        RefData.fingerprints(lake.hadoopConf(), settings.refDir(), settings.contentFactors())
            .entrySet()) {
      TableId id = new TableId(TableId.REF, e.getKey());
      String fingerprint = "ref:" + e.getValue();
      if (fingerprint.equals(lake.fingerprint(id))) {
        continue;
      }
      tasks.add(
          () -> {
            lake.writes()
                .replaceTagged(
                    data().tables().get(e.getKey()),
                    id,
                    "Reference data: " + e.getKey() + " (versioned CSV under data/ref)",
                    fingerprint);
            return true;
          });
    }
    return Parallel.all(tasks).size();
  }
}
