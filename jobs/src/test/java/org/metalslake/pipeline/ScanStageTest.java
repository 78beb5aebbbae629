package org.metalslake.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.metalslake.ops.RejectedFile;

/** How the console names rejected files: each path once, the list of known formats once. */
class ScanStageTest {
  static RejectedFile unknownHeader(String path) {
    return new RejectedFile(
        path,
        "id",
        10,
        0,
        "unrecognised header in " + path + ": [a,b]; known formats: baci (t,i,j,k,v,q)");
  }

  @Test
  void theFirstRejectionListsTheFormatsTheNextOnesReferToIt() {
    RejectedFile first = unknownHeader("s3a://b/landing/x.csv");
    RejectedFile second = unknownHeader("s3a://b/landing/y.csv");
    assertEquals(
        "unrecognised header [a,b]; known formats: baci (t,i,j,k,v,q)",
        ScanStage.consoleReason(first, null));
    assertEquals(
        "unrecognised header [a,b]; known formats: as above",
        ScanStage.consoleReason(second, "; known formats: baci (t,i,j,k,v,q)"));
    RejectedFile empty = new RejectedFile("/l/e.csv", "id", 0, 0, "empty file (0 bytes)");
    assertEquals("empty file (0 bytes)", ScanStage.consoleReason(empty, null));
  }
}
