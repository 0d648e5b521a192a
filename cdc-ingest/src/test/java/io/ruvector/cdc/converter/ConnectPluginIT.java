package io.ruvector.cdc.converter;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged Connect plugin ({@code target/*-connect-plugin.jar}) works on its own, as in a
 * Debezium connector's plugin directory: loaded beside Debezium's and Kafka Connect's jars only,
 * with none of ours, the converter registers for a {@code vector} column and turns pgvector text
 * into float32 bytes.
 */
class ConnectPluginIT {

    /** What a Debezium PostgreSQL connector plugin directory holds, and Connect's own API. */
    private static final Pattern PLUGIN_DIR_JARS = Pattern.compile(
            "(debezium-(api|core|connector-postgres|common|connector-common)|connect-api|kafka-clients|slf4j-api|postgresql)-.*\\.jar");

    @Test
    void theConverterJarRunsBesideDebeziumAlone() throws Exception {
        Path plugin;
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            plugin = jars.filter(p -> p.getFileName().toString().endsWith("-connect-plugin.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no *-connect-plugin.jar in target: run the package phase"));
        }
        List<URL> urls = new ArrayList<>(List.of(plugin.toUri().toURL()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (PLUGIN_DIR_JARS.matcher(Path.of(entry).getFileName().toString()).matches()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("io.ruvector.cdc.normalise.ChangeNormaliser"))
                    .as("nothing but the converter is packaged").isInstanceOf(ClassNotFoundException.class);

            Class<?> converterClass = loader.loadClass(PgVectorConverter.class.getName());
            assertThat(converterClass.getClassLoader()).isSameAs(loader);
            Object converter = converterClass.getConstructor().newInstance();
            converterClass.getMethod("configure", Properties.class).invoke(converter, new Properties());

            Class<?> column = loader.loadClass("io.debezium.spi.converter.RelationalColumn");
            Class<?> registration = loader.loadClass("io.debezium.spi.converter.CustomConverter$ConverterRegistration");
            Object vectorColumn = Proxy.newProxyInstance(loader, new Class<?>[] {column}, (proxy, method, args) -> switch (method.getName()) {
                case "typeName" -> "vector";
                case "name" -> "embedding";
                case "dataCollection" -> "public.items";
                case "isOptional" -> true;
                default -> method.getReturnType() == boolean.class ? false : method.getReturnType() == int.class ? 0 : null;
            });
            AtomicReference<Object> registered = new AtomicReference<>();
            Object registrar = Proxy.newProxyInstance(loader, new Class<?>[] {registration}, (proxy, method, args) -> {
                if (method.getName().equals("register")) {
                    registered.set(args[1]);
                }
                return null;
            });
            converterClass.getMethod("converterFor", column, registration).invoke(converter, vectorColumn, registrar);

            assertThat(registered.get()).as("a converter registered for the vector column").isNotNull();
            Method convert = loader.loadClass("io.debezium.spi.converter.CustomConverter$Converter").getMethod("convert", Object.class);
            byte[] bytes = (byte[]) convert.invoke(registered.get(), "[1,2.5,-3]");
            ByteBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(new float[] {floats.getFloat(), floats.getFloat(), floats.getFloat()}).containsExactly(1f, 2.5f, -3f);
        }
    }
}
