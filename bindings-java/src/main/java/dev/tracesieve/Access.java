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

  private static final MethodHandle NONE = MethodHandles.constant(Object.class, null);

  /** Getters by class and property name (NONE: no such getter). */
  private static final ClassValue<Map<String, MethodHandle>> GETTERS =
      new ClassValue<Map<String, MethodHandle>>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

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

  /** The child {@code key} of {@code parent}, or null. May throw what a getter throws. */
  static Object child(Object parent, String key) throws Throwable {
    if (parent instanceof SamplingContext) {
      SamplingContext c = (SamplingContext) parent;
      switch (key) {
        case "transactionContext":
          return c.getTransactionContext();
        case "customSamplingContext":
          return c.getCustomSamplingContext();
        case "sampleRand":
          return c.getSampleRand();
        case "attributes":
          return new Attributes(c);
        default:
          return null;
      }
    }
    if (parent instanceof TransactionContext) {
      TransactionContext t = (TransactionContext) parent;
      switch (key) {
        case "name":
          return t.getName();
        case "operation":
          return t.getOperation();
        case "origin":
          return t.getOrigin();
        case "parentSampled":
          return t.getParentSampled();
        case "parentSamplingDecision":
          return t.getParentSamplingDecision();
        default:
          return getter(parent, key);
      }
    }
    if (parent instanceof TracesSamplingDecision) {
      TracesSamplingDecision d = (TracesSamplingDecision) parent;
      switch (key) {
        case "sampled":
          return d.getSampled();
        case "sampleRate":
          return d.getSampleRate();
        case "sampleRand":
          return d.getSampleRand();
        default:
          return null;
      }
    }
    if (parent instanceof Attributes) {
      return ((Attributes) parent).context.getAttribute(key);
    }
    if (parent instanceof CustomSamplingContext) {
      return ((CustomSamplingContext) parent).get(key);
    }
    if (parent instanceof Map) {
      return ((Map<?, ?>) parent).get(key);
    }
    if (key.startsWith("[") && key.endsWith("]")) {
      int i = Integer.parseInt(key.substring(1, key.length() - 1));
      if (parent instanceof List) {
        List<?> l = (List<?>) parent;
        int at = i < 0 ? l.size() + i : i;
        return at >= 0 && at < l.size() ? l.get(at) : null;
      }
      if (parent.getClass().isArray()) {
        int n = Array.getLength(parent);
        int at = i < 0 ? n + i : i;
        return at >= 0 && at < n ? Array.get(parent, at) : null;
      }
      return null;
    }
    return getter(parent, key);
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

  /** A public getter's value: {@code getKey()}, {@code isKey()} or {@code key()}; null if none. */
  private static Object getter(Object parent, String key) throws Throwable {
    Map<String, MethodHandle> byKey = GETTERS.get(parent.getClass());
    MethodHandle h = byKey.get(key);
    if (h == null) {
      h = find(parent.getClass(), key);
      byKey.put(key, h);
    }
    return h == NONE ? null : (Object) h.invokeExact(parent);
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
    return NONE;
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
