package org.metalslake.pipeline;

/** A run that must stop with a clear message (bad file, quarantine threshold, …). */
public class PipelineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PipelineException(String message) {
    super(message);
  }

  public PipelineException(String message, Throwable cause) {
    super(message, cause);
  }
}
