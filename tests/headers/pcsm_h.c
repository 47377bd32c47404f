/*
 * Build-only check: the public headers compile on their own as strict C99
 * (-std=c99 -pedantic -Werror), the oldest standard a migration may use.
 */
#include <pcsm/pcsm.h>

int pcsm_header_check(void);

int pcsm_header_check(void)
{
    pcsm_column c = { .name = "x", .type = PCSM_ARRAY(PCSM_NUMERIC(10, 2)) };

    return c.type.array_dims;
}
