/** The bodies of the operator's API (/api/v1/operator/*): the routes parse with them, OpenAPI shows them. */
import { z } from "zod";

const str = (max: number) => z.string().trim().min(1).max(max);
/** A Union administrator the operator creates. */
export const AdminSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  fullName: str(200),
  password: z.string().max(200),
});
/** The operator's sign-in. */
export const LoginSchema = z
  .object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1).max(200) })
  .strict();
/** A new Union with its first administrator. */
export const UnionSchema = z
  .object({
    name: str(300),
    shortName: str(20),
    place: str(100),
    province: str(100),
    slug: z.string().max(60).optional(),
    admin: AdminSchema,
  })
  .strict();
/** A Union's new name (and short name). */
export const RenameSchema = z.object({ name: str(300), shortName: str(20).optional() }).strict();
