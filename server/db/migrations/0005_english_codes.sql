-- API codes become English identifiers: subject kinds and urgency marks (the old Vietnamese slugs
-- stay accepted on input for one release and are mapped by the API; stored rows move here).
UPDATE "assignments" SET "subject_kind" = CASE "subject_kind"
  WHEN 'de_an' THEN 'scheme'
  WHEN 'du_an' THEN 'project'
  WHEN 'quy_hoach' THEN 'master_plan'
  WHEN 'ke_hoach' THEN 'plan'
  WHEN 'chuong_trinh' THEN 'programme'
  WHEN 'du_thao_nghi_quyet' THEN 'draft_resolution'
  WHEN 'du_thao_van_ban' THEN 'draft_document'
  WHEN 'khac' THEN 'other'
  ELSE "subject_kind" END
WHERE "subject_kind" IN ('de_an', 'du_an', 'quy_hoach', 'ke_hoach', 'chuong_trinh', 'du_thao_nghi_quyet', 'du_thao_van_ban', 'khac');--> statement-breakpoint
UPDATE "assignments" SET "urgency" = CASE "urgency"
  WHEN 'khan' THEN 'urgent'
  WHEN 'thuong_khan' THEN 'very_urgent'
  WHEN 'hoa_toc' THEN 'immediate'
  ELSE "urgency" END
WHERE "urgency" IN ('khan', 'thuong_khan', 'hoa_toc');
