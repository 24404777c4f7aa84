package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
	"github.com/kuaiji/kuaiji/uploadcheck"
)

const checkPhotoUsage = "用法：kuaiji check-photo 文件 [--jurisdiction 地区] [--kind photo|scan]"

// runCheckPhoto checks a photo or scan before upload. The exit status is 1
// when a verified rule fails, 2 for a usage error or a file that cannot be
// checked.
func runCheckPhoto(_ context.Context, cfg config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check-photo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	place := fs.String("jurisdiction", "", "办理地区（名称、简称或代码）；该地区以前有过地方口径的，附在结果末尾，仅供了解")
	kind := fs.String("kind", string(uploadcheck.Photo), "photo（证件照）或 scan（证书、证件扫描件）")
	words, err := parseInterspersed(fs, args)
	if err != nil { // the flag package has said what is wrong
		fmt.Fprintln(stdout, checkPhotoUsage)
		return exitCode(2)
	}
	if len(words) != 1 {
		fmt.Fprintln(stdout, checkPhotoUsage)
		return exitCode(2)
	}
	rules, err := uploadcheck.Load(policies.FS, "uploads.yaml")
	if err != nil {
		return err
	}
	code, name, where := "", "", "按全国会计人员统一服务管理平台的要求检查"
	if *place != "" {
		places, err := knowledge.LoadJurisdictions(policies.FS, "jurisdictions.yaml")
		if err != nil {
			return err
		}
		j, ok := places.Resolve(*place)
		if !ok {
			fmt.Fprintln(stdout, unknownPlace(places, *place))
			return exitCode(2)
		}
		code, name = j.Code, j.Name
	}
	spec, err := rules.Spec(uploadcheck.Kind(*kind), code)
	if err != nil {
		fmt.Fprintln(stdout, "--kind 只能是 photo 或 scan。")
		return exitCode(2)
	}
	if len(spec.History) > 0 {
		// A local limit is history now, not a second set of rules.
		where += "（文末附" + name + "以前的地方口径，仅供了解）"
	}
	data, err := readCapped(words[0])
	if err != nil {
		fmt.Fprintf(stdout, "无法读取文件：%v\n", err)
		return exitCode(2)
	}
	r := uploadcheck.Check(uploadcheck.Input{Data: data}, spec)
	fmt.Fprintf(stdout, "%s：\n\n%s\n", where, r.Text())
	if !r.OK() {
		return exitCode(1)
	}
	return nil
}

// readCapped reads a file, refusing one above the checker's size cap
// before reading it.
func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s 是目录", path)
	}
	if st.Size() > uploadcheck.MaxFileBytes {
		return nil, fmt.Errorf("文件有 %.1fMB，超过 10MB 的检查上限", float64(st.Size())/(1<<20))
	}
	return io.ReadAll(io.LimitReader(f, uploadcheck.MaxFileBytes+1))
}

// uploadCheckOption makes the Telegram bot check the photos and image
// files users send, with the built-in upload rules.
func uploadCheckOption() (telegram.Option, error) {
	rules, err := uploadcheck.Load(policies.FS, "uploads.yaml")
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return telegram.WithUploadCheck(rules), nil
}
