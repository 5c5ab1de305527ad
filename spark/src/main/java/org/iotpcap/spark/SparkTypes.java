package org.iotpcap.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iotpcap.table.Column;
import org.iotpcap.table.ColumnType;
import org.iotpcap.table.TableDeclaration;

/**
 * A table's Spark schema, from its declaration: every column DuckDB has, in the same order, generated ones
 * included, each with its one-line meaning as the field's comment.
 *
 * <p>Types: BIGINT long, INTEGER int, TINYINT byte, DOUBLE double, BOOLEAN boolean, VARCHAR string, BLOB binary;
 * a TIMESTAMP_NS column (generated from a {@code *_ns} column) is a {@code TIMESTAMP_NTZ}, as DuckDB's is a
 * timestamp without time zone, in microseconds (Spark's precision: the nanoseconds are in the {@code *_ns}
 * column beside it).
 */
public final class SparkTypes {
    private SparkTypes() {}

    public static StructType schema(TableDeclaration table) {
        List<StructField> fields = new ArrayList<>();
        for (Column c : table.columns()) {
            Metadata comment = new MetadataBuilder().putString("comment", c.meaning()).build();
            fields.add(new StructField(c.name(), type(c.type()), true, comment));
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    static DataType type(ColumnType t) {
        return switch (t) {
            case BIGINT -> DataTypes.LongType;
            case INTEGER -> DataTypes.IntegerType;
            case TINYINT -> DataTypes.ByteType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case VARCHAR -> DataTypes.StringType;
            case BLOB -> DataTypes.BinaryType;
            case TIMESTAMP_NS -> DataTypes.TimestampNTZType;
        };
    }
}
