package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/kuaiji/kuaiji/knowledge"
)

func runIngest(ctx context.Context, cfg config, dirs []string, stdout, stderr io.Writer) error {
	if len(dirs) == 0 {
		fmt.Fprintln(stdout, "用法：kuaiji ingest 目录...（支持 .md .txt .html .htm .pdf .docx）")
		return exitCode(2)
	}
	if cfg.dataDir == "" {
		return fmt.Errorf("no index directory: set KUAIJI_DATA_DIR")
	}
	ix, err := openIndex(ctx, cfg)
	if err != nil {
		return err
	}
	var docs []*knowledge.Document
	failed := 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(stderr, "%s：无法读取（%v）\n", p, err)
				failed++
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") && p != dir {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			doc, err := knowledge.LoadFile(p, ix.Places())
			if err != nil {
				fmt.Fprintf(stderr, "未导入：%v\n", err)
				failed++
				return nil
			}
			if len(doc.Blocks) == 0 {
				fmt.Fprintf(stderr, "%s：未导入（没有可读取的文字）\n", p)
				failed++
				return nil
			}
			docs = append(docs, doc)
			return nil
		})
		if err != nil {
			return fmt.Errorf("walk %s: %w", dir, err)
		}
	}
	stats, err := ix.Ingest(ctx, docs)
	if err != nil {
		return fmt.Errorf("update index: %w", err)
	}
	fmt.Fprintf(stdout, "已导入 %d 个文件：新增 %d 段、更新 %d 段、删除 %d 段，%d 段未变化；索引共 %d 个文档、%d 段。\n",
		len(docs), stats.Added, stats.Updated, stats.Removed, stats.ReusedVectors, stats.Documents, stats.Chunks)
	if failed > 0 {
		fmt.Fprintf(stdout, "%d 个文件未能导入，原因见上方。\n", failed)
		return exitCode(1)
	}
	return nil
}
