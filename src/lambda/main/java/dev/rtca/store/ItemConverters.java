package dev.rtca.store;

import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.internal.converter.attribute.LongAttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.internal.converter.attribute.SetAttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.internal.converter.attribute.StringAttributeConverter;

/**
 * The attribute converters of the items' schemas: the only types their attributes have, String (S), Long (N) and a
 * set of strings (SS), each served by the SDK's own converter for it, so the items are stored exactly as the SDK's
 * default provider would store them. Any other type is refused when a schema is built.
 *
 * <p>Every schema names this provider (ADR 0012), so that resolving an attribute never goes to the default one, which
 * holds a converter for each of some 170 types. See the ADR for what that saves at cold start with SDK 2.40.2: the
 * schema builder's constructor still initializes the default provider (a static the builder reads before our
 * provider is set), so the saving is in the resolution, not in the default provider's construction.
 */
final class ItemConverters implements AttributeConverterProvider {
    static final ItemConverters INSTANCE = new ItemConverters();
    private static final EnhancedType<Set<String>> STRING_SET = EnhancedType.setOf(String.class);

    private final AttributeConverter<String> strings = StringAttributeConverter.create();
    private final AttributeConverter<Long> longs = LongAttributeConverter.create();
    private final AttributeConverter<Set<String>> stringSets = SetAttributeConverter.setConverter(strings);

    private ItemConverters() {
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> AttributeConverter<T> converterFor(EnhancedType<T> type) {
        Class<T> raw = type.rawClass();
        if (raw == String.class) {
            return (AttributeConverter<T>) strings;
        }
        if (raw == Long.class || raw == long.class) {
            return (AttributeConverter<T>) longs;
        }
        if (STRING_SET.equals(type)) {
            return (AttributeConverter<T>) stringSets;
        }
        throw new IllegalArgumentException("no converter for an item attribute of type " + type
                + " (ItemConverters serves String, Long and Set<String>)");
    }
}
