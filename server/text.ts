/**
 * Folds Vietnamese text for diacritics-insensitive search: lower case, tones and marks removed,
 * đ → d. "Đề án phát triển" and "de an phat trien" fold to the same string.
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}
