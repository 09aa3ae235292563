package org.dcsm.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dcsm.backprop.net.FcnModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spark and DL4J/ND4J in one JVM, as on an executor: the libraries both use are either shaded by DL4J (Jackson,
 * Guava, protobuf, FlatBuffers under {@code org.nd4j.shade}) or resolved to Spark's version (the enforcer's
 * {@code spark-isolation} rule in this module's pom fails the build when they disagree). This runs a real local
 * Spark session that serialises rows with Spark's Jackson while ND4J computes and DL4J's configuration JSON is
 * parsed by the shaded Jackson.
 */
class DependencyIsolationTest {

    @Test
    void sparkAndNd4jRunSideBySideOnTheirOwnJacksonAndGuava() throws Exception {
        SparkSession spark = SparkSession.builder().appName("dcsm-isolation").master("local[2]")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            // Spark's JSON path (its own Jackson) and an ND4J computation inside a task
            List<Row> rows = spark.read().json(spark.createDataset(List.of("{\"a\": 2}", "{\"a\": 3}"),
                    org.apache.spark.sql.Encoders.STRING())).collectAsList();
            assertThat(rows).extracting(r -> r.getLong(0)).containsExactly(2L, 3L);
            double sum = spark.range(4).javaRDD().map(i -> Nd4j.ones(3).muli(i).sumNumber().doubleValue())
                    .reduce(Double::sum);
            assertThat(sum).isEqualTo(18.0);
            // DL4J reads its model configuration (JSON) with its shaded Jackson while Spark's is loaded
            FcnModel model = ModelBundle.of(SyntheticVoc.model()).load();
            assertThat(model.classes()).isEqualTo(SyntheticVoc.CLASSES);
        } finally {
            spark.stop();
        }
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString()).isEqualTo("2.15.2");
        assertThat(Class.forName("org.nd4j.shade.jackson.databind.ObjectMapper")).isNotNull();
        assertThat(Class.forName("org.nd4j.shade.guava.collect.ImmutableList")).isNotNull();
        assertThat(Class.forName("org.nd4j.shade.protobuf.Message")).isNotNull();
    }
}
