/*
 * The GSSAPI and LDAP functions that Debian's libpq.a calls, for the static
 * build (-Dstatic=true, docs/containers.md "Static build"): each one fails,
 * so that GSSAPI and LDAP service lookup are absent, with a message saying so.
 */
#include <stddef.h>
#include <stdint.h>

/* Debian ships no static libgssapi_krb5 (nor libkrb5 under it), and its
 * libldap.a needs GnuTLS, whose p11-kit has no archive: the choice is to load
 * those 20-odd shared libraries, the very start-up cost a static build is
 * for, or to leave the two features out.  These are linked
 * only into the static pcs-migrate; their signatures are MIT Kerberos' and
 * OpenLDAP's, whose headers are not installed, so the types are spelled out. */

typedef uint32_t OM_uint32;
typedef struct {
    size_t length;
    void *value;
} gss_buffer_desc;

#define GSS_S_COMPLETE 0u
#define GSS_S_FAILURE (13u << 16)
#define GSS_C_GSS_CODE 1

/* The name type libpq passes to gss_import_name(), which fails anyway. */
void *GSS_C_NT_HOSTBASED_SERVICE = NULL;

static const char gss_absent[] = "GSSAPI is not in this static build of pcs-migrate";
static const char gss_remedy[] = "use the dynamically linked one";

/* The functions below are called only through libpq, which declares them:
 * no header of ours does, hence the prototypes here. */
OM_uint32 gss_acquire_cred(OM_uint32 *minor, void *name, OM_uint32 time_req, void *mechs,
                           int usage, void **cred, void **actual_mechs, OM_uint32 *time_rec);
OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_desc *in, void *type, void **out);
OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *cred, void **ctx, void *target,
                               void *mech, OM_uint32 flags, OM_uint32 time_req, void *bindings,
                               gss_buffer_desc *in, void **actual_mech, gss_buffer_desc *out,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec);
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type, void *mech,
                             OM_uint32 *more, gss_buffer_desc *out);
OM_uint32 gss_wrap(OM_uint32 *minor, void *ctx, int conf, OM_uint32 qop, gss_buffer_desc *in,
                   int *conf_state, gss_buffer_desc *out);
OM_uint32 gss_unwrap(OM_uint32 *minor, void *ctx, gss_buffer_desc *in, gss_buffer_desc *out,
                     int *conf_state, OM_uint32 *qop);
OM_uint32 gss_wrap_size_limit(OM_uint32 *minor, void *ctx, int conf, OM_uint32 qop,
                              OM_uint32 out_max, OM_uint32 *in_max);
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, gss_buffer_desc *out);
OM_uint32 gss_release_cred(OM_uint32 *minor, void **cred);
OM_uint32 gss_release_name(OM_uint32 *minor, void **name);
OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_desc *buf);

/* No credential cache: libpq then skips GSS encryption (gssencmode=prefer,
 * the default) and fails a gssencmode=require connection, as it does on a
 * machine without Kerberos tickets. */
OM_uint32 gss_acquire_cred(OM_uint32 *minor, void *name, OM_uint32 time_req, void *mechs,
                           int usage, void **cred, void **actual_mechs, OM_uint32 *time_rec)
{
    (void)name, (void)time_req, (void)mechs, (void)usage, (void)actual_mechs, (void)time_rec;
    *minor = 0;
    if (cred)
        *cred = NULL;
    return GSS_S_FAILURE;
}

/* The first call of a server's GSSAPI authentication request: its failure
 * is the connection's error, worded by gss_display_status() below. */
OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_desc *in, void *type, void **out)
{
    (void)in, (void)type;
    *minor = 0;
    *out = NULL;
    return GSS_S_FAILURE;
}

OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *cred, void **ctx, void *target,
                               void *mech, OM_uint32 flags, OM_uint32 time_req, void *bindings,
                               gss_buffer_desc *in, void **actual_mech, gss_buffer_desc *out,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    (void)cred, (void)ctx, (void)target, (void)mech, (void)flags, (void)time_req;
    (void)bindings, (void)in, (void)actual_mech, (void)ret_flags, (void)time_rec;
    *minor = 0;
    out->length = 0;
    out->value = NULL;
    return GSS_S_FAILURE;
}

/* The text libpq appends to its "GSSAPI ... error:", major and minor status
 * after a colon each: what is missing, then what to do.  The buffers are
 * static, and gss_release_buffer() below frees nothing. */
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type, void *mech,
                             OM_uint32 *more, gss_buffer_desc *out)
{
    (void)status, (void)mech;
    *minor = 0;
    *more = 0;
    if (type == GSS_C_GSS_CODE) {
        out->length = sizeof gss_absent - 1;
        out->value = (void *)gss_absent;
    } else {
        out->length = sizeof gss_remedy - 1;
        out->value = (void *)gss_remedy;
    }
    return GSS_S_COMPLETE;
}

OM_uint32 gss_wrap(OM_uint32 *minor, void *ctx, int conf, OM_uint32 qop, gss_buffer_desc *in,
                   int *conf_state, gss_buffer_desc *out)
{
    (void)ctx, (void)conf, (void)qop, (void)in, (void)conf_state, (void)out;
    *minor = 0;
    return GSS_S_FAILURE;
}

OM_uint32 gss_unwrap(OM_uint32 *minor, void *ctx, gss_buffer_desc *in, gss_buffer_desc *out,
                     int *conf_state, OM_uint32 *qop)
{
    (void)ctx, (void)in, (void)out, (void)conf_state, (void)qop;
    *minor = 0;
    return GSS_S_FAILURE;
}

OM_uint32 gss_wrap_size_limit(OM_uint32 *minor, void *ctx, int conf, OM_uint32 qop,
                              OM_uint32 out_max, OM_uint32 *in_max)
{
    (void)ctx, (void)conf, (void)qop, (void)out_max;
    *minor = 0;
    *in_max = 0;
    return GSS_S_FAILURE;
}

OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, gss_buffer_desc *out)
{
    (void)out;
    *minor = 0;
    if (ctx)
        *ctx = NULL;
    return GSS_S_COMPLETE;
}

OM_uint32 gss_release_cred(OM_uint32 *minor, void **cred)
{
    *minor = 0;
    if (cred)
        *cred = NULL;
    return GSS_S_COMPLETE;
}

OM_uint32 gss_release_name(OM_uint32 *minor, void **name)
{
    *minor = 0;
    if (name)
        *name = NULL;
    return GSS_S_COMPLETE;
}

OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_desc *buf)
{
    *minor = 0;
    if (buf) {
        buf->length = 0;
        buf->value = NULL;
    }
    return GSS_S_COMPLETE;
}

/* LDAP: libpq calls these only for an "ldap://" line of a service file
 * (pg_service.conf).  ldap_init() failing is its "could not create LDAP
 * structure" error; the rest are never reached. */
void *ldap_init(const char *host, int port);
int ldap_set_option(void *ld, int option, const void *value);
int ldap_simple_bind(void *ld, const char *who, const char *password);
int ldap_result(void *ld, int msgid, int all, void *timeout, void **result);
int ldap_search_st(void *ld, const char *base, int scope, const char *filter, char **attrs,
                   int attrsonly, void *timeout, void **result);
int ldap_count_entries(void *ld, void *result);
void *ldap_first_entry(void *ld, void *result);
void **ldap_get_values_len(void *ld, void *entry, const char *attr);
void ldap_value_free_len(void **values);
int ldap_msgfree(void *msg);
int ldap_unbind(void *ld);
char *ldap_err2string(int err);

void *ldap_init(const char *host, int port)
{
    (void)host, (void)port;
    return NULL;
}

int ldap_set_option(void *ld, int option, const void *value)
{
    (void)ld, (void)option, (void)value;
    return -1;
}

int ldap_simple_bind(void *ld, const char *who, const char *password)
{
    (void)ld, (void)who, (void)password;
    return -1;
}

int ldap_result(void *ld, int msgid, int all, void *timeout, void **result)
{
    (void)ld, (void)msgid, (void)all, (void)timeout;
    *result = NULL;
    return -1;
}

int ldap_search_st(void *ld, const char *base, int scope, const char *filter, char **attrs,
                   int attrsonly, void *timeout, void **result)
{
    (void)ld, (void)base, (void)scope, (void)filter, (void)attrs, (void)attrsonly, (void)timeout;
    *result = NULL;
    return -1;
}

int ldap_count_entries(void *ld, void *result)
{
    (void)ld, (void)result;
    return 0;
}

void *ldap_first_entry(void *ld, void *result)
{
    (void)ld, (void)result;
    return NULL;
}

void **ldap_get_values_len(void *ld, void *entry, const char *attr)
{
    (void)ld, (void)entry, (void)attr;
    return NULL;
}

void ldap_value_free_len(void **values)
{
    (void)values;
}

int ldap_msgfree(void *msg)
{
    (void)msg;
    return 0;
}

int ldap_unbind(void *ld)
{
    (void)ld;
    return 0;
}

char *ldap_err2string(int err)
{
    (void)err;
    return (char *)"LDAP is not in this static build of pcs-migrate";
}
