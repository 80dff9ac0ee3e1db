package dev.clgrad.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemorySettingsTest {

    @Test
    void sizes_take_binary_suffixes_and_percentages_of_the_device() {
        assertEquals(123, MemorySettings.parse("p", "123", 0));
        assertEquals(64L << 10, MemorySettings.parse("p", "64k", 0));
        assertEquals(512L << 20, MemorySettings.parse("p", "512M", 0));
        assertEquals(2L << 30, MemorySettings.parse("p", " 2g ", 0));
        assertEquals(250, MemorySettings.parse("p", "25%", 1000));
    }

    @Test
    void a_value_that_is_not_a_size_is_an_error_naming_the_property() {
        for (String bad : new String[] {"", "lots", "-5m", "150%", "99999999999t"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemorySettings.parse("clgrad.memory.cacheCap", bad, 1000));
            assertTrue(e.getMessage().contains("clgrad.memory.cacheCap"), e.getMessage());
        }
    }

    @Test
    void defaults_scale_with_the_device_within_bounds() {
        assertEquals(64L << 20, MemorySettings.highWaterBytes(100L << 20));
        assertEquals(512L << 20, MemorySettings.highWaterBytes(140L << 30));
        assertEquals(32L << 20, MemorySettings.cacheCapBytes(100L << 20));
        assertEquals(2L << 30, MemorySettings.cacheCapBytes(140L << 30));
    }
}
