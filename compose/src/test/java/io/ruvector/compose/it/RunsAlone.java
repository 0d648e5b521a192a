package io.ruvector.compose.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An integration test that asserts what a second test on the same two cores would bend: a
 * latency budget, a rate ratio, or a healing outcome verified by the sensor's λ. The build runs
 * these one at a time after the others, which run two at a time (compose/pom.xml, failsafe).
 */
@Tag("alone")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface RunsAlone {
}
