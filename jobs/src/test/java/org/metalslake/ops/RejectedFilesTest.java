package org.metalslake.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the console names rejected files: each path once, the list of known formats once. */
class RejectedFilesTest {
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
    List<RejectedFile> files =
        List.of(
            unknownHeader("s3a://b/landing/x.csv"),
            new RejectedFile("/l/e.csv", "id", 0, 0, "empty file (0 bytes)"),
            unknownHeader("s3a://b/landing/y.csv"));
    assertEquals(
        List.of(
            "s3a://b/landing/x.csv: unrecognised header [a,b]; known formats: baci (t,i,j,k,v,q)",
            "/l/e.csv: empty file (0 bytes)",
            "s3a://b/landing/y.csv: unrecognised header [a,b]; known formats: as above"),
        RejectedFiles.consoleLines(files));
  }
}
