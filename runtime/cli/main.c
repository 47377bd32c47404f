/*
 * pcs-migrate's entry point: the CLI over the registry linked beside it.
 * Test binaries link the same CLI with a fixture registry instead.
 */
#include <pcsm/revision.h>

#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv, pcsm_registry, pcsm_registry_len);
}
