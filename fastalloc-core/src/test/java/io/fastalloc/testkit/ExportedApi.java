package io.fastalloc.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The checker behind each module's exported-API test: walks the public types of a module's exported
 * packages by reflection and lists every public or protected signature, superclass, interface,
 * inherited public method or type bound that names a fastalloc type outside the API (a package no
 * fastalloc module exports to everyone), or a type its own module does not export.
 *
 * <p>What the API is comes from the modules' compiled descriptors ({@code module-info.class}):
 * unqualified exports only; {@code exports ... to} is internal.
 */
public final class ExportedApi {
    private final Set<String> apiPackages;

    private ExportedApi(Set<String> apiPackages) {
        this.apiPackages = apiPackages;
    }

    /**
     * @param anchors one class from each fastalloc module whose exports count as API
     * @return a checker whose API is the unqualified exports of those classes' modules
     */
    public static ExportedApi of(Class<?>... anchors) {
        Set<String> api = new TreeSet<>();
        for (Class<?> anchor : anchors) {
            for (ModuleDescriptor.Exports e : descriptorOf(anchor).exports()) {
                if (!e.isQualified()) {
                    api.add(e.source());
                }
            }
        }
        return new ExportedApi(api);
    }

    /**
     * @param apiPackages the packages that are API
     * @return a checker with exactly that API, for testing the checker itself
     */
    public static ExportedApi withApi(Set<String> apiPackages) {
        return new ExportedApi(new TreeSet<>(apiPackages));
    }

    /**
     * @return the packages taken for API
     */
    public Set<String> apiPackages() {
        return apiPackages;
    }

    /**
     * Every public type (nested ones included) in {@code anchor}'s module's unqualified exports.
     *
     * @param anchor a class of the module
     * @return the public types, loaded without initialising them
     */
    public static List<Class<?>> publicTypesOf(Class<?> anchor) {
        Path root = locationOf(anchor);
        List<Class<?>> types = new ArrayList<>();
        for (ModuleDescriptor.Exports e : descriptorOf(anchor).exports()) {
            if (e.isQualified()) {
                continue;
            }
            Path dir = root.resolve(e.source().replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String file = f.getFileName().toString();
                    if (file.endsWith(".class") && !file.equals("package-info.class")) {
                        String name = e.source() + "." + file.substring(0, file.length() - ".class".length());
                        Class<?> type = Class.forName(name, false, anchor.getClassLoader());
                        if (isVisible(type)) {
                            types.add(type);
                        }
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            } catch (ClassNotFoundException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return types;
    }

    private static boolean isVisible(Class<?> type) {
        return isPublicAllTheWay(type) && !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic();
    }

    /**
     * @param types public types of exported packages
     * @return one line per signature that names a type outside the API; empty when there is none
     */
    public List<String> violations(Collection<Class<?>> types) {
        List<String> found = new ArrayList<>();
        for (Class<?> type : types) {
            String where = type.getName();
            check(where + " superclass", type.getGenericSuperclass(), found);
            for (Type i : type.getGenericInterfaces()) {
                check(where + " interface", i, found);
            }
            for (TypeVariable<?> v : type.getTypeParameters()) {
                check(where + " type parameter " + v.getName(), v, found);
            }
            for (Field f : type.getDeclaredFields()) {
                if (isExposed(f)) {
                    check(where + "." + f.getName(), f.getGenericType(), found);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (isExposed(c)) {
                    checkExecutable(where + ".<init>", c, found);
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (isExposed(m) && !m.isSynthetic() && !m.isBridge()) {
                    checkExecutable(where + "." + m.getName(), m, found);
                }
            }
            for (Method m : type.getMethods()) {
                Class<?> declarer = m.getDeclaringClass();
                if (!isApi(declarer)) {
                    found.add(where + " inherits public " + m.getName() + " from " + declarer.getName());
                }
            }
        }
        return found;
    }

    private static boolean isExposed(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    private void checkExecutable(String where, Executable e, List<String> found) {
        if (e instanceof Method) {
            check(where + " return", ((Method) e).getGenericReturnType(), found);
        }
        for (Type p : e.getGenericParameterTypes()) {
            check(where + " parameter", p, found);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(where + " throws", x, found);
        }
        for (TypeVariable<?> v : e.getTypeParameters()) {
            check(where + " type parameter " + v.getName(), v, found);
        }
    }

    private void check(String where, Type type, List<String> found) {
        walk(where, type, found, new HashSet<>());
    }

    private void walk(String where, Type type, List<String> found, Set<TypeVariable<?>> seen) {
        if (type == null) {
            return;
        }
        if (type instanceof Class<?>) {
            Class<?> c = (Class<?>) type;
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (!c.isPrimitive() && !isApi(c)) {
                found.add(where + " names " + c.getName());
            }
        } else if (type instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) type;
            walk(where, p.getRawType(), found, seen);
            for (Type a : p.getActualTypeArguments()) {
                walk(where, a, found, seen);
            }
        } else if (type instanceof WildcardType) {
            WildcardType w = (WildcardType) type;
            for (Type b : w.getUpperBounds()) {
                walk(where, b, found, seen);
            }
            for (Type b : w.getLowerBounds()) {
                walk(where, b, found, seen);
            }
        } else if (type instanceof GenericArrayType) {
            walk(where, ((GenericArrayType) type).getGenericComponentType(), found, seen);
        } else if (type instanceof TypeVariable<?>) {
            TypeVariable<?> v = (TypeVariable<?>) type;
            if (seen.add(v)) {
                for (Type b : v.getBounds()) {
                    walk(where, b, found, seen);
                }
            }
        }
    }

    /**
     * @param c a type named in a signature
     * @return whether users may name it: a fastalloc type of an API package, or another type whose
     *         module exports its package to everyone
     */
    private boolean isApi(Class<?> c) {
        String pkg = c.getPackageName();
        if (pkg.equals("io.fastalloc") || pkg.startsWith("io.fastalloc.")) {
            return apiPackages.contains(pkg) && isPublicAllTheWay(c);
        }
        return c.getModule().isExported(pkg);
    }

    private static boolean isPublicAllTheWay(Class<?> c) {
        for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) && !Modifier.isProtected(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static ModuleDescriptor descriptorOf(Class<?> anchor) {
        Set<ModuleReference> found = ModuleFinder.of(locationOf(anchor)).findAll();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one module at " + locationOf(anchor) + ", found " + found);
        }
        return found.iterator().next().descriptor();
    }

    private static Path locationOf(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
