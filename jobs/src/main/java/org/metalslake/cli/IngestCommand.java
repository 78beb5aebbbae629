package org.metalslake.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.metalslake.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ingest <dataset> <path…>}: ingest the given files or folders now. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Ingest the given files or folders now (formats recognised from headers).")
final class IngestCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(
      index = "0",
      paramLabel = "DATASET",
      description = "production, trade, capacity, prices or stocks")
  String dataset;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "Files or folders")
  List<String> paths;

  @Option(names = "--force", description = "Read files again even if already ingested")
  boolean force;

  @Mixin RunSupport.Reporting reporting;

  @Override
  public Integer call() {
    if (!Pipeline.DATASETS.contains(dataset)) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "unknown dataset '"
              + dataset
              + "'; expected one of "
              + String.join(", ", Pipeline.DATASETS));
    }
    return RunSupport.ingest(common.settings(), "ingest " + dataset, paths, force, reporting);
  }
}
