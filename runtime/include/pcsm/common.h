/*
 * What every public header needs and nothing more: the export macro and
 * the two opaque handles that revisions and the runtime pass around.
 */
#ifndef PCSM_COMMON_H
#define PCSM_COMMON_H

#if defined(__GNUC__)
#define PCSM_API __attribute__((visibility("default")))
#else
#define PCSM_API
#endif

/* The recording context handed to upgrade() and downgrade() (ddl.h). Opaque. */
typedef struct pcsm_op pcsm_op;

#endif /* PCSM_COMMON_H */
