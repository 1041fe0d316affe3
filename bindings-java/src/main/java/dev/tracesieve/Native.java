package dev.tracesieve;

/**
 * The FFM backend's stand-in on Java 11-21: there is none. The jar's
 * META-INF/versions/22/dev/tracesieve/Native.class (src/main/java22) replaces this class on
 * Java 22+ with the native core through java.lang.foreign.
 */
final class Native {
  private Native() {}

  /** Null: no FFM before Java 22. */
  static Engine compile(String policy, int shape, String recordKeys) {
    return null;
  }

  /** Why there is no FFM backend. */
  static String unavailable() {
    return "java.lang.foreign needs Java 22+ (this is " + System.getProperty("java.version")
        + ") and this jar's META-INF/versions/22 classes";
  }
}
