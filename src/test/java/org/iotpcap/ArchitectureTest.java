package org.iotpcap;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure README.md ("Layout") and the style guide (section 2, "Layout") describe, checked on the
 * compiled main classes: every dependency the bytecode shows (imports, fully-qualified uses, signatures), not
 * compile-time constants, which javac inlines.
 *
 * <p>Packages form layers in the order the bytes flow, and each may use only those before it:
 * {@code bytes -> table -> capture -> link -> ip -> transport (udp, tcp) -> engine -> dissect -> semantic ->
 * pipeline -> sql -> analysis -> report -> cli -> spark} (the spark module's package, above the CLI whose
 * {@code run} it drives). {@code table} (typed columns, columnar batches and their Arrow form) knows
 * nothing of networks, so it sits just above {@code bytes}; the semantic model declares its tables with it
 * ({@code semantic.tables}) and writes rows through it. {@code engine} (the frame loop) sits before {@code dissect}:
 * the dissectors are frame listeners that fill the engine's {@code Summary}, and the engine knows nothing of them.
 * {@code pipeline} wires reader, engine, dissectors and model once for every command. Every main class must be in
 * a layer, so a new package has to be placed here first.
 *
 * <p>Inside {@code dissect}, the protocol packages ({@code dns}, {@code coap}, {@code mqtt}, {@code mqttsn},
 * {@code websocket}) know only {@code dissect}'s own types, never each other (the WebSocket layer hands the bytes
 * it unwraps to the MQTT stream decoder through {@code dissect.Dissection}); inside {@code mqtt}, the version decoders ({@code v311},
 * {@code v5}) never use the dispatcher that chooses between them, nor each other.
 */
class ArchitectureTest {

    private static final String ROOT = "org.iotpcap";

    /** The layers, lowest first; a layer may use only the ones before it. */
    private static final List<String> LAYERS = List.of(
            "bytes", "table", "capture", "link", "ip", "transport", "engine", "dissect",
            "semantic", "pipeline", "sql", "analysis", "report", "cli", "spark");

    /**
     * Layers whose package may not exist: {@code spark} is the spark module's, absent from the core's classes;
     * the spark module runs these rules over both ({@code SparkArchitectureTest}).
     */
    private static final List<String> OPTIONAL_LAYERS = List.of("spark");

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
    }

    @Test
    void layers_depend_only_on_layers_before_them() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            String pkg = ROOT + "." + layer + "..";
            rule = OPTIONAL_LAYERS.contains(layer)
                    ? rule.optionalLayer(layer).definedBy(pkg)
                    : rule.layer(layer).definedBy(pkg);
        }
        rule = rule.whereLayer(LAYERS.get(0)).mayNotAccessAnyLayer();
        for (int i = 1; i < LAYERS.size(); i++) {
            List<String> before = new ArrayList<>(LAYERS.subList(0, i));
            rule = rule.whereLayer(LAYERS.get(i)).mayOnlyAccessLayers(before.toArray(String[]::new));
        }
        rule.ensureAllClassesAreContainedInArchitecture().check(classes);
    }

    @Test
    void top_level_packages_are_free_of_cycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void dissector_packages_are_free_of_cycles_and_independent() {
        slices().matching(ROOT + ".dissect.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching(ROOT + ".dissect.(*)..").should().notDependOnEachOther().check(classes);
    }

    /** The independence rule above sees every protocol package, the WebSocket layer included. */
    @Test
    void dissector_packages_are_the_known_ones() {
        java.util.Set<String> found = new java.util.TreeSet<>();
        classes.forEach(c -> {
            String p = c.getPackageName();
            String prefix = ROOT + ".dissect.";
            if (p.startsWith(prefix)) {
                found.add(p.substring(prefix.length()).split("\\.")[0]);
            }
        });
        org.assertj.core.api.Assertions.assertThat(found)
                .containsExactlyInAnyOrder("coap", "dns", "mqtt", "mqttsn", "tls", "websocket");
    }

    @Test
    void udp_and_tcp_are_independent() {
        slices().matching(ROOT + ".transport.(*)..").should().notDependOnEachOther().check(classes);
    }

    /**
     * The dispatcher ({@code dissect.mqtt.decode}: the stream framer and the decoder that chooses a version) uses
     * the version decoders; they may use {@code dissect.mqtt}'s shared types (messages, the fixed header, limits,
     * reasons, the reader in {@code internal}) but not the dispatcher, which would make a cycle.
     */
    @Test
    void mqtt_version_decoders_do_not_use_the_dispatcher_or_each_other() {
        String mqtt = ROOT + ".dissect.mqtt";
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("mqtt shared").definedBy(mqtt, mqtt + ".internal..")
                .layer("mqtt dispatcher").definedBy(mqtt + ".decode..")
                .layer("mqtt v3.1.1").definedBy(mqtt + ".v311..")
                .layer("mqtt v5").definedBy(mqtt + ".v5..")
                .whereLayer("mqtt dispatcher").mayNotBeAccessedByAnyLayer()
                .whereLayer("mqtt v3.1.1").mayOnlyBeAccessedByLayers("mqtt dispatcher")
                .whereLayer("mqtt v5").mayOnlyBeAccessedByLayers("mqtt dispatcher")
                .whereLayer("mqtt shared").mayNotAccessAnyLayer()
                .check(classes);
    }
}
