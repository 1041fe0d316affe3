package dev.tracesieve;

import io.sentry.CustomSamplingContext;
import io.sentry.SamplingContext;
import io.sentry.SpanId;
import io.sentry.TracesSamplingDecision;
import io.sentry.TransactionContext;
import io.sentry.protocol.SentryId;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the Java shape's property names map onto Java objects (docs/wasm-abi.md, "Read plans"):
 * sentry's own types directly; a {@link Map} by key; a {@link List} or array by {@code [i]};
 * any other object by its public getter ({@code requestURI} is {@code getRequestURI()}).
 */
final class Access {
  private Access() {}

  /** {@code getAttribute(key)} of a SamplingContext, as the node {@code attributes}. */
  static final class Attributes {
    final SamplingContext context;

    Attributes(SamplingContext context) {
      this.context = context;
    }
  }

  /** SamplingContext's private attribute map, for the {@code gen_ai.} scan (null if unreadable). */
  private static final Field ATTRIBUTES = attributesField();

  private static Field attributesField() {
    try {
      Field f = SamplingContext.class.getDeclaredField("attributes");
      f.setAccessible(true);
      return f;
    } catch (Throwable t) {
      return null;
    }
  }

  /** How to read one property from objects of one class. */
  interface Reader {
    /** The property of {@code parent} (an instance of the class it was made for), or null. May throw what a getter throws. */
    Object read(Object parent) throws Throwable;
  }

  private static final Reader ABSENT = p -> null;

  /** Readers by class and property name, resolved once per pair. */
  private static final ClassValue<Map<String, Reader>> READERS =
      new ClassValue<Map<String, Reader>>() {
        @Override
        protected Map<String, Reader> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  /** The reader of property {@code key} on instances of {@code type} (cached). */
  static Reader reader(Class<?> type, String key) {
    Map<String, Reader> byKey = READERS.get(type);
    Reader r = byKey.get(key);
    if (r == null) {
      r = resolve(type, key);
      byKey.put(key, r);
    }
    return r;
  }

  /** The child {@code key} of {@code parent}, or null. May throw what a getter throws. */
  static Object child(Object parent, String key) throws Throwable {
    return reader(parent.getClass(), key).read(parent);
  }

  private static Reader resolve(Class<?> type, String key) {
    if (SamplingContext.class.isAssignableFrom(type)) {
      switch (key) {
        case "transactionContext":
          return p -> ((SamplingContext) p).getTransactionContext();
        case "customSamplingContext":
          return p -> ((SamplingContext) p).getCustomSamplingContext();
        case "sampleRand":
          return p -> ((SamplingContext) p).getSampleRand();
        case "attributes":
          return p -> new Attributes((SamplingContext) p);
        default:
          return ABSENT;
      }
    }
    if (TransactionContext.class.isAssignableFrom(type)) {
      switch (key) {
        case "name":
          return p -> ((TransactionContext) p).getName();
        case "operation":
          return p -> ((TransactionContext) p).getOperation();
        case "origin":
          return p -> ((TransactionContext) p).getOrigin();
        case "parentSampled":
          return p -> ((TransactionContext) p).getParentSampled();
        case "parentSamplingDecision":
          return p -> ((TransactionContext) p).getParentSamplingDecision();
        default:
          return getter(type, key);
      }
    }
    if (TracesSamplingDecision.class.isAssignableFrom(type)) {
      switch (key) {
        case "sampled":
          return p -> ((TracesSamplingDecision) p).getSampled();
        case "sampleRate":
          return p -> ((TracesSamplingDecision) p).getSampleRate();
        case "sampleRand":
          return p -> ((TracesSamplingDecision) p).getSampleRand();
        default:
          return ABSENT;
      }
    }
    if (type == Attributes.class) {
      return p -> ((Attributes) p).context.getAttribute(key);
    }
    if (CustomSamplingContext.class.isAssignableFrom(type)) {
      return p -> ((CustomSamplingContext) p).get(key);
    }
    if (Map.class.isAssignableFrom(type)) {
      return p -> ((Map<?, ?>) p).get(key);
    }
    if (key.startsWith("[") && key.endsWith("]")) {
      int i;
      try {
        i = Integer.parseInt(key.substring(1, key.length() - 1));
      } catch (NumberFormatException e) {
        return p -> {
          throw e; // a failed read, as an unreadable property
        };
      }
      if (List.class.isAssignableFrom(type)) {
        return p -> {
          List<?> l = (List<?>) p;
          int at = i < 0 ? l.size() + i : i;
          return at >= 0 && at < l.size() ? l.get(at) : null;
        };
      }
      if (type.isArray()) {
        return p -> {
          int n = Array.getLength(p);
          int at = i < 0 ? n + i : i;
          return at >= 0 && at < n ? Array.get(p, at) : null;
        };
      }
      return ABSENT;
    }
    return getter(type, key);
  }

  /** What a value is on the wire, by its class (see {@link #kind}). */
  static final int BOOLEAN = 0, NUMBER = 1, TEXT = 2, LIST = 3, OBJECT = 4;

  private static final ClassValue<Integer> KINDS =
      new ClassValue<Integer>() {
        @Override
        protected Integer computeValue(Class<?> type) {
          if (type == Boolean.class) {
            return BOOLEAN;
          }
          if (Number.class.isAssignableFrom(type)) {
            return NUMBER;
          }
          if (CharSequence.class.isAssignableFrom(type) || type == Character.class
              || SentryId.class.isAssignableFrom(type) || SpanId.class.isAssignableFrom(type) || Enum.class.isAssignableFrom(type)) {
            return TEXT;
          }
          return Collection.class.isAssignableFrom(type) || type.isArray() ? LIST : OBJECT;
        }
      };

  /** The kind of a non-null value, cached by class: booleans, numbers, texts ({@link #text}), lists and arrays, other objects. */
  static int kind(Object v) {
    return KINDS.get(v.getClass());
  }

  /** A string value: strings, characters, enums (lower case), sentry ids; else null. */
  static String text(Object v) {
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof CharSequence || v instanceof Character || v instanceof SentryId || v instanceof SpanId) {
      return v.toString();
    }
    if (v instanceof Enum) {
      return ((Enum<?>) v).name().toLowerCase(Locale.ROOT);
    }
    return null;
  }

  static boolean hasKeyWithPrefix(Object v, String prefix) throws IllegalAccessException {
    if (v instanceof Map) {
      return Encoder.anyKeyStartsWith((Map<?, ?>) v, prefix);
    }
    if (v instanceof CustomSamplingContext) {
      return Encoder.anyKeyStartsWith(((CustomSamplingContext) v).getData(), prefix);
    }
    if (v instanceof Attributes && ATTRIBUTES != null) {
      Object m = ATTRIBUTES.get(((Attributes) v).context);
      return m instanceof Map && Encoder.anyKeyStartsWith((Map<?, ?>) m, prefix);
    }
    return false;
  }

  /** A public getter: {@code getKey()}, {@code isKey()} or {@code key()}; {@link #ABSENT} if none. */
  private static Reader getter(Class<?> type, String key) {
    MethodHandle h = find(type, key);
    return h == null ? ABSENT : p -> (Object) h.invokeExact(p);
  }

  private static MethodHandle find(Class<?> type, String key) {
    String cap = key.isEmpty() ? key : Character.toUpperCase(key.charAt(0)) + key.substring(1);
    for (String name : new String[] {"get" + cap, "is" + cap, key}) {
      Method m = publicMethod(type, name);
      if (m != null) {
        try {
          return MethodHandles.publicLookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
        } catch (IllegalAccessException e) {
          // try the next name
        }
      }
    }
    return null;
  }

  /** A public no-argument method {@code name} declared by a public class or interface of {@code type}. */
  private static Method publicMethod(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      Method m = declared(c, name);
      if (m != null) {
        return m;
      }
      for (Class<?> i : c.getInterfaces()) {
        m = publicMethod(i, name);
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }

  private static Method declared(Class<?> c, String name) {
    if (!Modifier.isPublic(c.getModifiers())) {
      return null;
    }
    try {
      Method m = c.getMethod(name);
      return m.getDeclaringClass() == c || Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
