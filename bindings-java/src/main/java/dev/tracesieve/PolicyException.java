package dev.tracesieve;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A policy that does not compile: every problem, each with its JSON path, in the same words as
 * every other tracesieve package.
 */
public final class PolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** One problem of a policy: where it is (a JSON path such as {@code rules[2].when}) and what. */
  public static final class Problem {
    private final String path;
    private final String message;

    Problem(String path, String message) {
      this.path = path;
      this.message = message;
    }

    /** The JSON path of the problem, such as {@code rules[2].when}; empty for the whole policy. */
    public String path() {
      return path;
    }

    /** What is wrong there. */
    public String message() {
      return message;
    }

    @Override
    public String toString() {
      return path.isEmpty() ? message : path + ": " + message;
    }
  }

  private final transient List<Problem> problems;

  PolicyException(String message, List<Problem> problems) {
    super(message);
    this.problems = Collections.unmodifiableList(problems);
  }

  /** Every problem of the policy, in order. */
  public List<Problem> problems() {
    return problems;
  }

  /** From the module's error JSON {@code {"message", "problems": [{"path", "message"}]}}. */
  @SuppressWarnings("unchecked")
  static PolicyException fromJson(String json) {
    Map<String, Object> e = (Map<String, Object>) Json.parse(json);
    List<Problem> problems = new ArrayList<>();
    for (Object p : (List<Object>) e.get("problems")) {
      Map<String, Object> m = (Map<String, Object>) p;
      problems.add(new Problem((String) m.get("path"), (String) m.get("message")));
    }
    return new PolicyException((String) e.get("message"), problems);
  }
}
