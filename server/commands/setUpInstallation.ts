/**
 * The first set-up of an installation: its first Union and that Union's first administrator, and
 * optionally the installation's operator. `npm run setup` and the first-run page `/setup` call it;
 * the page also proves it knows the one-time setup code the server printed at start.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import type { Db } from "../db/connect.js";
import { ConflictError, ForbiddenError } from "../errors.js";
import type { Clock } from "../runtime/clock.js";
import { isInstallationEmpty } from "../queries/isInstallationEmpty.js";
import { checkUnionInput, createUnion, type AdminInput, type UnionInput } from "./createUnion.js";
import { createOperator, type OperatorInput } from "./createOperator.js";

export type SetUpProps = {
  input: UnionInput;
  admin: AdminInput;
  operator?: OperatorInput;
  /** The first-run page: the code typed and the one the server printed (both required there). */
  code?: { given: string; expected: string };
  /** The script may add a Union to an installation that already has one; the page never. */
  allowExisting?: boolean;
};

const digest = (s: string) => createHash("sha256").update(s.trim().toUpperCase()).digest();

/**
 * Creates the Union, its administrator (and operator) in one transaction.
 * @throws ForbiddenError setup_code_wrong, ConflictError already_set_up, ValidationError weak_password …
 */
export async function setUpInstallation(deps: { db: Db; clock: Clock }, props: SetUpProps) {
  if (props.code && !timingSafeEqual(digest(props.code.given), digest(props.code.expected)))
    throw new ForbiddenError("Mã thiết lập không đúng. Xem mã trong nhật ký khởi động máy chủ.", "setup_code_wrong");
  checkUnionInput(props.input, props.admin);
  return deps.db.transaction(async (tx) => {
    if (!props.allowExisting && !(await isInstallationEmpty(tx)))
      throw new ConflictError("already_set_up", "Hệ thống đã được thiết lập; hãy đăng nhập.");
    const created = await createUnion({ db: tx, clock: deps.clock }, { input: props.input, admin: props.admin });
    const operator = props.operator ? await createOperator(tx, { input: props.operator }) : null;
    return { organization: created.organization, admin: created.admin!, operator };
  });
}
