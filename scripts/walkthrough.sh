#!/usr/bin/env bash
# Drives one demo assignment from order to closure with curl (the README's walk-through).
# Start TVPB first (npm start), then: bash scripts/walkthrough.sh
set -euo pipefail
TVPB=${TVPB:-http://localhost:3000}
PW=tvpb-demo-2026
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const p=process.argv[1].split(".").filter(Boolean);let x=v;for(const k of p)x=x?.[isNaN(k)?k:Number(k)];console.log(typeof x==="object"?JSON.stringify(x):x)})' "$1"; }

# A Bearer token for a demo account: log in (cookie + CSRF token), then create an API token.
token() {
  local jar; jar=$(mktemp)
  local csrf; csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"$PW\"}" "$TVPB/api/v1/auth/login" | json data.csrfToken)
  curl -sf -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -d '{"name":"curl"}' "$TVPB/api/v1/tokens" | json data.token
}
AGENCY=$(token coquan@demo.tvpb.vn); SEC=$(token banthuky@demo.tvpb.vn); LEAD=$(token lanhdao@demo.tvpb.vn); CLERK=$(token vanthu@demo.tvpb.vn)
E1=$(token chuyengia@demo.tvpb.vn); E2=$(token chuyengia2@demo.tvpb.vn); E3=$(token chuyengia3@demo.tvpb.vn)

api() { local tok=$1 method=$2 path=$3; shift 3; curl -sf -X "$method" -H "authorization: Bearer $tok" -H 'content-type: application/json' "$TVPB/api/v1$path" "$@"; }
event() { api "$1" POST "/assignments/$ID/events" -d "$2" | json data.stateLabel; }

# 1. The agency orders a consultancy by an expert group, in writing.
ID=$(api "$AGENCY" POST /assignments -d '{"type":"consultancy","forms":["expert_group","written"],"subjectKind":"plan",
  "title":"Kế hoạch phát triển du lịch cộng đồng gắn với bảo tồn văn hóa dân tộc thiểu số giai đoạn 2026–2030",
  "orderNumber":"2210/UBND-KGVX","orderDate":"2026-11-20","budget":15000000}' | json data.id)
echo "Nhiệm vụ $ID"
# 2. Clerk registers; secretariat proposes; leadership accepts; secretariat plans.
event "$CLERK" '{"type":"order.register"}'
event "$SEC" '{"type":"order.proposeAccept","note":"Đúng phạm vi, hồ sơ đầy đủ."}'
event "$LEAD" '{"type":"order.accept"}'
event "$SEC" '{"type":"plan.submit","workPlan":"Lấy ý kiến bằng văn bản của 3 chuyên gia trong 15 ngày.","costEstimate":15000000,"reviewDays":15}'
# 3. Panel: invite three experts (the first chairs), they accept with their declaration, leadership approves.
EXPERTS=$(api "$SEC" GET /experts | json data)
X1=$(echo "$EXPERTS" | node -pe 'JSON.parse(require("fs").readFileSync(0)).find(e=>e.fullName==="Nguyễn Thị Phương Thảo").id')
X2=$(echo "$EXPERTS" | node -pe 'JSON.parse(require("fs").readFileSync(0)).find(e=>e.fullName==="Trần Đức Hưng").id')
X3=$(echo "$EXPERTS" | node -pe 'JSON.parse(require("fs").readFileSync(0)).find(e=>e.fullName==="Lê Minh Châu").id')
event "$SEC" "{\"type\":\"panel.invite\",\"members\":[{\"expertId\":\"$X1\",\"role\":\"chair\"},{\"expertId\":\"$X2\",\"role\":\"member\"},{\"expertId\":\"$X3\",\"role\":\"member\"}]}"
for T in "$E1" "$E2" "$E3"; do
  INV=$(api "$T" GET /invitations | node -pe "JSON.parse(require('fs').readFileSync(0)).data.find(i=>i.assignmentId==='$ID').id")
  api "$T" POST "/invitations/$INV/events" -d '{"type":"invitation.accept","declaration":{"noConflict":true,"confidentiality":true}}' | json data.state
done
event "$SEC" '{"type":"panel.submit"}'
event "$LEAD" '{"type":"panel.approve"}'
# 4. Each expert saves and submits a written opinion.
for T in "$E1" "$E2" "$E3"; do
  api "$T" PUT "/assignments/$ID/opinion" -d '{"general":"Kế hoạch cần thiết, phù hợp định hướng phát triển du lịch của tỉnh.","specific":[{"section":"Mục II. Nhiệm vụ","comment":"Chưa rõ cơ chế chia sẻ lợi ích với cộng đồng.","suggestion":"Bổ sung cơ chế chia sẻ lợi ích."}],"conclusion":"agree_with_revisions","recommendations":"Bổ sung chỉ tiêu theo năm."}' >/dev/null
  api "$T" POST "/assignments/$ID/opinion/submit" | json data.status
done
event "$SEC" '{"type":"review.close"}'
# 5. Consolidation, approval, issuing.
api "$SEC" POST "/assignments/$ID/report" -d '{"content":{"sections":[{"key":"overall","title":"II. Đánh giá chung","paragraphs":[{"text":"Kế hoạch cần thiết và khả thi."}]}],
  "recommendations":[{"text":"Bổ sung cơ chế chia sẻ lợi ích với cộng đồng."},{"text":"Bổ sung chỉ tiêu định lượng theo từng năm."}],"conclusion":"fit_after_revision"}}' | json data.version
event "$SEC" '{"type":"report.submit"}'
event "$LEAD" '{"type":"report.approve"}'
event "$CLERK" '{"type":"report.issue"}'
# Delivery is recorded once the report and its cover letter are issued (rendered and signed).
for _ in $(seq 1 120); do
  api "$CLERK" GET "/assignments/$ID" | node -e 'const d=JSON.parse(require("fs").readFileSync(0)).data.documents;
    process.exit(["finalReport","coverLetter"].every(k=>d.some(x=>x.kind===k&&x.status==="issued"))?0:1)' && break
  sleep 1
done
event "$CLERK" '{"type":"delivery.recorded","channel":"email"}'
# 6. The agency answers each recommendation; the secretariat closes.
ANSWERS=$(api "$AGENCY" GET "/assignments/$ID" | node -pe 'JSON.stringify(JSON.parse(require("fs").readFileSync(0)).data.recommendations.map((r,i)=>i===0?{recommendationId:r.id,status:"accepted"}:{recommendationId:r.id,status:"partly",explanation:"Tiếp thu một phần do hạn chế ngân sách."}))')
event "$AGENCY" "{\"type\":\"response.submit\",\"answers\":$ANSWERS}"
event "$SEC" '{"type":"assignment.close","note":"Đã quyết toán, lưu hồ sơ."}'
api "$SEC" GET "/assignments/$ID/history" | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.filter(h=>h.workflow==="assignment").map(h=>`${h.at}  ${h.event.padEnd(20)} ${h.from ?? ""} → ${h.to}  (${h.actor})`).join("\n")'
