package dev.updraft.core.internal;

import dev.updraft.core.MissingFieldException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of Updraft's value types: generated classes are package-private (callers
 * use the static factories and builders the abstract types declare), builders are strict (a field
 * set twice is a bug), {@code build()} returns the abstract type, and {@code @Value.Parameter}
 * types get a package-private constructor instead of a static {@code of} that would clash with the
 * abstract type's own factory.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    builderVisibility = Value.Style.BuilderVisibility.PACKAGE,
    overshadowImplementation = true,
    strictBuilder = true,
    throwForInvalidImmutableState = MissingFieldException.class,
    of = "new",
    defaultAsDefault = true,
    // No @Generated on generated classes: hosts compiling against core with -Xlint need no
    // Immutables jar on their classpath.
    allowedClasspathAnnotations = {Override.class})
public @interface UpdraftStyle {}
