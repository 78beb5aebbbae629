package org.metalslake.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;

/** A long stage is never silent: a line every interval with its Spark jobs and tasks so far. */
class ProgressTest extends SparkTest {
  @Test
  void aRunningStageSaysWhatItHasDoneSoFarUntilItIsDone() throws Exception {
    spark(); // the default session the lines read
    List<String> lines = new CopyOnWriteArrayList<>();
    Progress progress = new Progress(300, lines::add);
    progress.start("silver", "conforming 1 files");
    // A job of 4 tasks on 2 cores, each 1.5 s: running while the lines come.
    CompletableFuture<Long> job =
        CompletableFuture.supplyAsync(
            () ->
                spark()
                    .range(0, 4, 1, 4)
                    .mapPartitions(
                        (MapPartitionsFunction<Long, Long>)
                            it -> {
                              Thread.sleep(1500);
                              return it;
                            },
                        Encoders.LONG())
                    .count());
    job.get();
    progress.done("silver", "done");
    int after = lines.size();
    Thread.sleep(1000);
    assertTrue(lines.size() == after, "no line after the stage is done: " + lines);
    assertTrue(lines.size() >= 5, "a line every 300 ms over 3 s: " + lines);
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "silver +… \\d+ s in: 1 Spark job running, \\d of 4 tasks of 1 stage done,"
                            + " \\d running")),
        lines.toString());
  }
}
